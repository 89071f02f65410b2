#pragma once
// The graph side of torch.autograd.Function: a node whose backward lives outside C++.
//
// The caller (JavaScript) runs a call as PyTorch's Function.apply does:
//   1. begin_custom_function: the node, when grad mode is on and an input requires grad
//      (collecting the inputs' edges, which for a view modified in place raises PyTorch's
//      view + in-place error before forward runs);
//   2. forward, with grad mode off (views and version counters behave as anywhere else);
//   3. wrap_custom_function_outputs: PyTorch's _wrap_outputs and _save_variables.
// When backward reaches the node, the engine pauses with NeedsFunction (Note [Resumable
// engine]); the caller runs its backward and resumes. Ids of nodes that died are queued so
// the caller can drop its per-call state.

#include <memory>
#include <string>
#include <vector>

#include "autograd/node.h"
#include "autograd/saved_variable.h"

namespace webtorch {

class CustomFunction : public Node {
 public:
  CustomFunction(int32_t id, std::string name) : id_(id), name_(std::move(name)) {}
  ~CustomFunction() override;
  std::string name() const override { return name_; }
  variable_list apply(variable_list&&) override;
  void release_variables() override;
  int32_t external_function_id() const override { return id_; }

  std::vector<SavedVariable>& saved() { return saved_; }
  // The saved tensors, version-checked; throws after release (second backward).
  variable_list unpack_saved() const;

 private:
  int32_t id_;
  std::string name_;
  std::vector<SavedVariable> saved_;
  bool released_ = false;
};

// Step 1: the node with the inputs' edges, or null when the call is not recorded.
std::shared_ptr<CustomFunction> begin_custom_function(int32_t id, const std::string& name,
                                                      const variable_list& inputs);

// Step 3. outputs[i] undefined: forward's i-th result is not a tensor. node: from step 1
// (may be null). Returns the outputs to hand back: an input returned as is becomes a view of
// it (or a detached alias), anything else is the same tensor, now carrying the node.
// Note [Custom Function outputs] in custom_function.cpp.
variable_list wrap_custom_function_outputs(const std::shared_ptr<CustomFunction>& node,
                                           const variable_list& inputs,
                                           const variable_list& outputs,
                                           const variable_list& saved);

// Ids of CustomFunction nodes destroyed since the last call.
std::vector<int32_t> take_dead_custom_function_ids();

}  // namespace webtorch
