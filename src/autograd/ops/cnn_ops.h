#pragma once
// The CNN layers' functional ops (issue 15): batch_norm and the 2-D poolings, one file each
// (batch_norm.cpp, max_pool2d.cpp, avg_pool2d.cpp, adaptive_avg_pool2d.cpp), with torch 1.13's
// node names. Their backward ops have nodes of their own, so gradients of gradients work.

#include <optional>
#include <tuple>

#include "autograd/ops/ops.h"

namespace webtorch {

// ---- batch_norm (NativeBatchNormBackward0) ----
// torch.batch_norm: weight, bias, running_mean, running_var may be undefined; in training the
// running statistics are updated in place with momentum (the caller resolves momentum=None).
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps);

// ---- max_pool2d (MaxPool2DWithIndicesBackward0) ----
// Values and flat indices within each H x W plane (int32: webtorch's index dtype).
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode);
// The gradient of max_pool2d for its input (MaxPool2DWithIndicesBackwardBackward0).
Tensor max_pool2d_with_indices_backward(const Tensor& grad_output, const Tensor& self, const Tensor& indices);

// ---- avg_pool2d (AvgPool2DBackward0) ----
Tensor avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override);

// ---- adaptive_avg_pool2d: a mean over H, W for output (1, 1) (MeanBackward1), as torch;
// else AdaptiveAvgPool2DBackward0 ----
Tensor adaptive_avg_pool2d(const Tensor& input, IntArrayRef output_size);

}  // namespace webtorch
