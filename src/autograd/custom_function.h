#pragma once
// The graph side of torch.autograd.Function: a node whose backward lives outside C++.
//
// The caller (JavaScript) runs forward itself below autograd, then records the call with
// record_custom_function. When backward reaches the node, the engine pauses with
// NeedsFunction (Note [Resumable engine]); the caller runs its backward and resumes.
// Ids of nodes that died are queued so the caller can drop its per-call state.

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

// Attaches a CustomFunction to outputs (computed below autograd from inputs) when an input
// requires grad and autograd runs; saves `saved` first (the checks may throw before any
// output changes). Returns the node, or null when nothing was recorded.
std::shared_ptr<CustomFunction> record_custom_function(int32_t id, const std::string& name,
                                                       const variable_list& inputs,
                                                       const variable_list& outputs,
                                                       const variable_list& saved);

// Ids of CustomFunction nodes destroyed since the last call.
std::vector<int32_t> take_dead_custom_function_ids();

}  // namespace webtorch
