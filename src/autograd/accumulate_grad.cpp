#include "autograd/accumulate_grad.h"

#include <cstdint>

#include "autograd/variable.h"
#include "autograd/ops/ops.h"

namespace webtorch {

AccumulateGrad::AccumulateGrad(Tensor variable) : variable_(std::move(variable)) {
  // Runs as soon as it is ready, like PyTorch's UINT64_MAX sequence number.
  set_sequence_nr(UINT64_MAX);
  add_input_metadata(variable_);
  if (AutogradMeta* m = autograd::get_autograd_meta(variable_); m && m->hooks_)
    add_pre_hook(0, m->hooks_);
}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor& incoming = grads[0];
  if (!incoming.defined()) return {};
  Tensor existing = autograd::grad(variable_);
  if (!existing.defined()) {
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
