#pragma once
// Helpers every op uses to record itself in the graph (the autograd layer of an op).
//
// The pattern of an out-of-place op (see autograd/ops/mul.cpp):
//   auto node = autograd::make_node<MulBackward0>({&self, &other});  // null if not recording
//   if (node) { node->self_ = SavedVariable(self, false); ... }        // may throw: before compute
//   Tensor out = <kernel>;
//   if (node) autograd::set_history(out, node);

#include <initializer_list>
#include <memory>
#include <vector>

#include "autograd/variable.h"
#include "autograd/view_tracking.h"

namespace webtorch {
namespace autograd {

inline bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  for (const Tensor* t : inputs)
    if (t && t->defined() && t->requires_grad()) return true;
  return false;
}

// Note [Autograd runs only for normal tensors]
// In PyTorch an inference tensor carries no Autograd dispatch key, so an op whose tensor
// arguments are ALL inference tensors skips the autograd layer even outside InferenceMode
// (c.neg() has no grad_fn though c.requires_grad). One normal tensor among the arguments,
// even a wrapped Python number (c.mul(2)), routes the op through autograd, which then looks
// at every argument's requires_grad.
inline bool autograd_layer_runs(std::initializer_list<const Tensor*> inputs) {
  if (!autograd_active()) return false;
  for (const Tensor* t : inputs)
    if (t && t->defined() && !t->is_inference()) return true;
  return false;
}

inline bool compute_requires_grad(std::initializer_list<const Tensor*> inputs) {
  return autograd_layer_runs(inputs) && any_requires_grad(inputs);
}

inline std::vector<Edge> collect_next_edges(std::initializer_list<const Tensor*> inputs) {
  std::vector<Edge> edges;
  edges.reserve(inputs.size());
  for (const Tensor* t : inputs)
    edges.push_back(t && t->defined() && t->requires_grad() ? gradient_edge(*t) : Edge());
  return edges;
}

// Note [The autograd layer checks before the kernel]
// PyTorch's autograd wrapper of an op (VariableType) makes the node and collects its next
// edges, which reads every input's grad_fn (raising the view + in-place errors of Note [View
// tracking] for a view made in no_grad mode, in inference mode or by a custom Function whose
// base changed), and saves the inputs backward needs (raising for an inference tensor); only
// then does it call the kernel, which checks shapes, dims and sizes. So where both refuse,
// the autograd layer's error wins: an op makes its node (make_node, then the saves) before
// its own argument checks, as ops/mul.cpp does. An op whose checks must come first to fill
// its node (a view's geometry) calls collect_next_edges_first at its start instead. A
// composite op (reshape, flatten, narrow, matmul) checks its own arguments first and then
// records through the ops it calls, as in PyTorch.
//
// The node for an op on inputs, wired to their gradient edges, or null when the op does
// not record (grad mode off, autograd excluded, or no input requires grad).
template <class NodeT, class... Args>
std::shared_ptr<NodeT> make_node(std::initializer_list<const Tensor*> inputs, Args&&... args) {
  if (!compute_requires_grad(inputs)) return nullptr;
  auto node = make_node_ptr<NodeT>(std::forward<Args>(args)...);
  node->set_next_edges(collect_next_edges(inputs));
  return node;
}

// make_node for an op on a list of tensors (cat, stack).
template <class NodeT>
std::shared_ptr<NodeT> make_list_node(const std::vector<Tensor>& inputs) {
  bool normal = false, rg = false;  // Note [Autograd runs only for normal tensors]
  for (const Tensor& t : inputs) {
    normal = normal || !t.is_inference();
    rg = rg || t.requires_grad();
  }
  if (!autograd_active() || !normal || !rg) return nullptr;
  auto node = make_node_ptr<NodeT>();
  std::vector<Edge> edges;
  edges.reserve(inputs.size());
  for (const Tensor& t : inputs) edges.push_back(t.requires_grad() ? gradient_edge(t) : Edge());
  node->set_next_edges(std::move(edges));
  return node;
}

// The part of make_node that can fail, run before an op's own checks (Note [The autograd
// layer checks before the kernel]): reading the inputs' grad_fn. make_node later reads the
// same (regenerated, cached) grad_fn again.
inline void collect_next_edges_first(std::initializer_list<const Tensor*> inputs) {
  if (compute_requires_grad(inputs)) (void)collect_next_edges(inputs);
}

}  // namespace autograd
}  // namespace webtorch
