#pragma once
// The value half of mse_loss (ops/mse_loss.cpp): nothing here records; the op and
// MseLossBackward0 are in autograd/ops/mse_loss.cpp.

#include "core/tensor.h"
#include "ops/ops.h"

namespace webtorch {
namespace native {

// "mse_cpu" dispatch check on same-shaped inputs.
void check_mse_loss(const Tensor& self, const Tensor& target);
Tensor mse_loss(const Tensor& self, const Tensor& target, Reduction reduction);
// d loss / d self for float32 (the target's gradient is its negation).
Tensor mse_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, Reduction reduction);

}  // namespace native
}  // namespace webtorch
