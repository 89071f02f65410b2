#include "autograd/accumulate_grad.h"

#include <cstdint>

#include "autograd/variable.h"
#include "autograd/ops/ops.h"
#include "core/error.h"
#include "core/grad_mode.h"

namespace webtorch {

AccumulateGrad::AccumulateGrad(Tensor variable) : variable_(std::move(variable)) {
  // Runs as soon as it is ready, like PyTorch's UINT64_MAX sequence number.
  set_sequence_nr(UINT64_MAX);
  add_input_metadata(variable_);
  if (AutogradMeta* m = autograd::get_autograd_meta(variable_); m && m->hooks_)
    add_pre_hook(0, m->hooks_);
}

// PyTorch 1.13's AccumulateGrad::apply, before the user's hooks on the leaf run: nothing to do
// without a gradient; a leaf that has since been given a grad_fn (requires_grad_(false), then
// an in-place op with an input that requires grad) refuses; a leaf that no longer requires
// grad is skipped.
bool AccumulateGrad::is_active(const variable_list& grads) const {
  if (grads.empty() || !grads[0].defined()) return true;
  WT_CHECK(!autograd::grad_fn(variable_).get(), "leaf variable has been moved into the graph interior");
  return variable_.requires_grad();
}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor& incoming = grads[0];
  if (!incoming.defined()) return {};
  Tensor existing = autograd::grad(variable_);
  if (GradMode::is_enabled()) {
    // create_graph: .grad stays differentiable. torch 1.13 copies a first gradient into a new
    // tensor (grad_fn CopyBackwards) and sums out of place after (AddBackward0).
    autograd::set_grad(variable_, existing.defined() ? add(existing, incoming)
                                                     : copy_(empty(incoming.sizes(), incoming.dtype()), incoming));
  } else if (!existing.defined()) {
    // A fresh, contiguous copy that nobody else sees becomes .grad.
    autograd::set_grad(variable_, contiguous_clone(incoming));
  } else {
    // In place, so a .grad the user holds sees the sum (PyTorch does the same when grad
    // mode is off, as it is during backward).
    add_(existing, incoming);
  }
  return {};
}

}  // namespace webtorch
