#pragma once
// The backward engine: iterative, deterministic, and resumable.
//
// Note [Resumable engine]
// backward() never recurses (deep graphs cannot overflow the wasm stack): it counts each
// node's dependencies, then runs a ready queue ordered by sequence number (later forward
// ops first; AccumulateGrad as soon as ready), summing gradients that meet at a node.
// JavaScript code that runs during backward (tensor hooks registered from JS, the backward
// of a torch.autograd.Function) is never called from C++: run() returns NeedsHook or
// NeedsFunction, JavaScript runs the callback in its own try/finally, and resumes the task.
// Unless keep_graph, each node frees its saved tensors after it ran.

#include <memory>
#include <unordered_map>
#include <vector>

#include "autograd/node.h"

namespace webtorch {

class GraphTask {
 public:
  // js/constants.mjs TASK_STATUS, through webtorch_constants.h.
  enum class Status : int32_t {
    Done = constants::kTaskStatusDone,
    NeedsHook = constants::kTaskStatusNeedsHook,
    NeedsFunction = constants::kTaskStatusNeedsFunction,
  };

  // roots: (tensor outputs) with their gradients. captures: when non-empty this is
  // autograd.grad(): the gradients reaching these edges are returned instead of being
  // accumulated, and only nodes leading to them run. create_graph: the pass is recorded
  // (Note [Grad mode of a backward pass]).
  // accumulate_into_inputs: backward(inputs=...): capture_inputs are not captured but their
  // gradients accumulated as usual (their AccumulateGrad, or a non-leaf's grad_fn with its
  // retain_grad, runs), and only nodes leading to them run (torch 1.13's accumulate_grad with
  // outputs).
  GraphTask(const variable_list& outputs, variable_list grad_outputs, bool keep_graph,
            const variable_list& capture_inputs = {}, bool allow_unused = false,
            bool create_graph = false, bool accumulate_into_inputs = false);

  Status run();

  int32_t pending_hook_id() const { return pending_hook_id_; }
  const Tensor& pending_hook_grad() const { return pending_hook_grad_; }
  void resume_hook(const Tensor& replacement);  // undefined: keep the gradient

  const std::shared_ptr<Node>& pending_function() const { return current_.fn; }
  const variable_list& pending_function_grads() const { return current_.inputs; }
  void resume_function(variable_list grads);

  // The gradients of capture_inputs (undefined where unused and allow_unused).
  variable_list captured() const;

 private:
  struct NodeTask {
    std::shared_ptr<Node> fn;
    variable_list inputs;
  };
  enum class Phase { Idle, PreHooks, Apply, Distribute };

  void compute_dependencies(const std::vector<Edge>& roots);
  void compute_needed();
  bool needed(Node* fn) const;
  void push_ready(NodeTask task);
  NodeTask pop_ready();
  Status run_pre_hooks();
  void distribute(variable_list outputs);

  std::unordered_map<Node*, int> dependencies_;
  std::unordered_map<Node*, variable_list> not_ready_;
  std::vector<NodeTask> ready_;  // a heap ordered by sequence_nr
  std::unordered_map<Node*, bool> needed_;
  struct Capture {
    Node* fn;
    uint32_t input_nr;
  };
  std::vector<Capture> captures_;
  variable_list captured_;
  bool capture_mode_ = false;
  bool allow_unused_ = false;
  bool keep_graph_;
  bool create_graph_;

  NodeTask current_;
  Phase phase_ = Phase::Idle;
  size_t pre_hook_index_ = 0;
  size_t hook_index_ = 0;
  int32_t pending_hook_id_ = -1;
  Tensor pending_hook_grad_;
  std::shared_ptr<Node> root_;
};

namespace autograd {

// t.backward(gradient, retain_graph) for C++ callers: native hooks only.
void backward(const variable_list& outputs, const variable_list& grad_outputs = {},
              bool keep_graph = false, bool create_graph = false);
// torch.autograd.grad for C++ callers.
variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs = {}, bool keep_graph = false,
                   bool allow_unused = false, bool create_graph = false);

}  // namespace autograd
}  // namespace webtorch
