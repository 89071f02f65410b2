#pragma once
// The recording half every differentiable op file (autograd/ops/) shares: the in-place
// recipe and the view recipe, around the value layer's checks and kernels (ops/op_utils.h).

#include <memory>

#include "autograd/function.h"
#include "autograd/inplace.h"
#include "autograd/saved_variable.h"
#include "autograd/ops/ops.h"
#include "ops/op_utils.h"

namespace webtorch {

// The in-place recipe of Note [Inplace update inference tensor]. make_node() builds and wires
// the node (saving what it needs) when requires_grad, else it is not called; check() runs the
// op's own argument checks (shapes, dtypes), which PyTorch makes in the kernel, i.e. after the
// autograd layer: a leaf that requires grad reports the leaf error even for a bad argument.
// write() runs the kernel.
template <class MakeNode, class Check, class Write>
const Tensor& run_inplace(const Tensor& self, bool requires_grad, MakeNode&& make_node,
                          Check&& check, Write&& write) {
  autograd::check_inplace(self, requires_grad);
  std::shared_ptr<Node> node = requires_grad ? make_node() : nullptr;
  check();
  autograd::check_inplace_inference(self);
  write();
  autograd::bump_version(self);
  if (node) autograd::rebase_history(self, node);
  return self;
}

template <class MakeNode, class Write>
const Tensor& run_inplace(const Tensor& self, bool requires_grad, MakeNode&& make_node,
                          Write&& write) {
  return run_inplace(self, requires_grad, make_node, [] {}, write);
}

// Note [Saving an in-place op's own input]
// a.mul_(a) saves `a` for backward, and `a` then takes the node as its grad_fn: the node
// would own the tensor that owns it, a reference cycle that is never freed (PyTorch 1.13
// leaks it). An input sharing storage with the in-place target is therefore saved like an
// output: an alias without autograd meta, sharing the version counter, so backward still
// fails with PyTorch's "modified by an inplace operation" text (SavedVariable::input_of_inplace).

// The autograd half of a view op: view was made by autograd::make_view; if the op records,
// a NodeT is created, init(node) fills it, and it becomes the view's grad_fn.
template <class NodeT, class Init>
Tensor record_view(const Tensor& self, Tensor view, Init&& init) {
  if (auto node = autograd::make_node<NodeT>({&self})) {
    init(*node);
    autograd::set_history(view, node);
  }
  return view;
}

}  // namespace webtorch
