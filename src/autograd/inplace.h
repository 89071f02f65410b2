#pragma once
// The checks and bookkeeping around every in-place op, in PyTorch's order.
//
// Note [Inplace update inference tensor]
// Outside InferenceMode an inference tensor is immutable. PyTorch 1.13 discovers this when
// it bumps the (missing) version counter, i.e. AFTER the kernel wrote; webtorch checks
// first, so a refused op leaves the data untouched (API.md). The order of checks is
// PyTorch's, so the same error wins when several apply:
//   1. check_inplace (autograd layer, only when recording): view created in no_grad /
//      inference mode, view of a leaf, leaf that requires grad;
//   2. creating the node saves its inputs ("Inference tensors cannot be saved...");
//   3. check_inplace_inference (ADInplaceOrView layer);
//   4. the kernel writes; 5. bump_version; 6. rebase_history.

#include <memory>

#include "autograd/node.h"
#include "core/tensor.h"

namespace webtorch {
namespace autograd {

void check_inplace(const Tensor& self, bool requires_grad);
void check_inplace_inference(const Tensor& self);
void bump_version(const Tensor& self);
// Makes fn (whose output 0 is self's new value) self's grad_fn; on a view, the base gets a
// CopySlices and the view's grad_fn is regenerated.
void rebase_history(const Tensor& self, const std::shared_ptr<Node>& fn);

}  // namespace autograd
}  // namespace webtorch
