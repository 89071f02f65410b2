#pragma once
// The value half of batch_norm (ops/batch_norm.cpp): PyTorch 1.13's checks
// (_batch_norm_impl_index) and its CPU arithmetic (batch_norm_cpu_collect_stats,
// batch_norm_cpu_transform_input, batch_norm_backward_cpu), float32, input (N, C, *).
// Nothing here records; the op and NativeBatchNormBackward0 are in autograd/ops/batch_norm.cpp.

#include <array>

#include "core/tensor.h"

namespace webtorch {
namespace native {

// weight, bias, running_mean, running_var may be undefined.
void check_batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                      const Tensor& running_var, bool training);

struct BatchNormForward {
  Tensor output;
  Tensor save_mean, save_invstd;  // [C] in training (the batch's mean and 1/sqrt(var + eps)), else undefined
};
// In training the running statistics (when defined) are updated in place with momentum, the
// variance unbiased, as PyTorch does (without a version bump: the schema does not mark them).
BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                            const Tensor& running_var, bool training, double momentum, double eps);

// The gradients of input, weight and bias (those output_mask asks for); save_mean/save_invstd
// in training, running_mean/running_var in evaluation.
std::array<Tensor, 3> batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                          const Tensor& running_mean, const Tensor& running_var,
                                          const Tensor& save_mean, const Tensor& save_invstd, bool training,
                                          double eps, std::array<bool, 3> output_mask);

}  // namespace native
}  // namespace webtorch
