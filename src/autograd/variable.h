#pragma once
// The autograd view of a tensor (torch::autograd::impl): grad, grad_fn, leaf-ness,
// edges, history. Ops use these; the core never does.

#include <memory>

#include "autograd/autograd_meta.h"
#include "autograd/edge.h"
#include "core/tensor.h"

namespace webtorch {
namespace autograd {

AutogradMeta* get_autograd_meta(const Tensor& t);         // nullptr if none
AutogradMeta* materialize_autograd_meta(const Tensor& t);  // creates it if needed

// The node that computes t's gradient; for a view whose base was modified in place it
// is regenerated first (Note [View tracking]).
std::shared_ptr<Node> grad_fn(const Tensor& t);
bool is_leaf(const Tensor& t);
// C++ is_leaf() in PyTorch: no stored grad_fn, without regenerating a view's.
bool has_no_stored_grad_fn(const Tensor& t);
uint32_t output_nr(const Tensor& t);
bool is_view(const Tensor& t);
Tensor base(const Tensor& t);  // the tracked base of a view; undefined otherwise
// A record that follows t without owning it (Note [Weak tensor identity]).
std::shared_ptr<TensorIdentity> identity(const Tensor& t);

// Where t's gradient flows: (grad_fn, output_nr), or the grad accumulator of a leaf
// that requires grad, or an invalid edge.
Edge gradient_edge(const Tensor& t);
std::shared_ptr<Node> grad_accumulator(const Tensor& t);

// Makes node the grad_fn of the fresh output t.
void set_history(const Tensor& t, const std::shared_ptr<Node>& node);

// The user-facing requires_grad_(flag), with PyTorch's checks.
void requires_grad_(const Tensor& t, bool flag);

// A factory's requires_grad option (PyTorch's text differs from requires_grad_'s).
void requires_grad_at_creation(const Tensor& t, bool flag);

Tensor grad(const Tensor& t);  // undefined if none
void set_grad(const Tensor& t, const Tensor& grad);
bool retains_grad(const Tensor& t);
void retain_grad(const Tensor& t);
// After m's grad_fn changed: a retain_grad() hook follows it (Note [Hook lists]).
void move_retains_grad_hook(AutogradMeta* m);
void register_hook(const Tensor& t, Hook hook);

// A new tensor sharing data and version counter with t, outside the graph.
Tensor detach(const Tensor& t);
// t.detach_(): t itself leaves the graph (PyTorch refuses it for a view).
void detach_(const Tensor& t);

}  // namespace autograd
}  // namespace webtorch
