#pragma once
// Views and their autograd bookkeeping (the ADInplaceOrView layer for view ops).
//
// Note [View tracking]
// A view shares storage and the version counter with its base (Note [Version counter
// sharing]). When the ADInplaceOrView layer is active for the base (see
// inplace_or_view_active), the view is *tracked*: it records its root base and its
// CreationMeta, isView is true, and requires_grad follows the base's. Views of inference
// tensors are never tracked, inside or outside InferenceMode ("view and non-view inference
// tensors are indistinguishable"), and nothing is tracked below AutoDispatchBelowADInplaceOrView.
// When the base (or another view of it) is modified in place, the version moves past the
// view's attr_version and its grad_fn is regenerated on next access as AsStridedBackward0
// onto the base's new history (after handle_view_on_rebase has checked that is allowed).

#include <string>

#include "autograd/autograd_meta.h"
#include "core/autograd_state.h"
#include "core/tensor.h"

namespace webtorch {
namespace autograd {

// Whether the ADInplaceOrView layer runs for t: it is forced on for every tensor outside
// InferenceMode, and inside it only normal tensors carry it; below-autograd excludes it.
inline bool inplace_or_view_active(const Tensor& t) {
  const AutogradState s = AutogradState::tls();
  return !s.inplace_or_view_excluded && (!s.inference_mode || !t.is_inference());
}

// Whether an op records a grad_fn: grad mode on and the autograd layer not excluded.
inline bool autograd_active() {
  const AutogradState s = AutogradState::tls();
  return s.grad_mode && !s.autograd_excluded;
}

// A view of self with the given geometry, tracked when the ADInplaceOrView layer is active.
Tensor make_view(const Tensor& self, IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset);

// Throws PyTorch's error when an in-place op may not be recorded on this view
// (it was created in no_grad or inference mode). indirect: the base or another view of
// it was modified, not this view.
void handle_view_on_rebase(const Tensor& view, const AutogradMeta* meta, bool indirect);
// handle_view_on_rebase's message, or "" when the view may be rebased.
std::string view_rebase_error(const AutogradMeta* meta, bool indirect);

void regenerate_view_grad_fn(const Tensor& view, AutogradMeta* meta, uint32_t current_version);

}  // namespace autograd
}  // namespace webtorch
