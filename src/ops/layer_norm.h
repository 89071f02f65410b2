#pragma once
// The value half of layer_norm (autograd/ops/layer_norm.cpp): one fused pass per row for the
// forward (moments, normalisation, affine) and one for the backward. Nothing here records.

#include "ops/ops.h"

namespace webtorch {
namespace native {

// input seen as [M, N] rows (N = the product of normalized_shape); weight / bias of N
// elements or undefined. mean and rstd are [M] (float32), as native_layer_norm's.
struct LayerNormOut {
  Tensor out, mean, rstd;
};
LayerNormOut layer_norm_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t M, int64_t N,
                                double eps);

// native_layer_norm_backward from the saved input, mean and rstd; each gradient only when its
// flag is set (an undefined tensor otherwise). grad_weight / grad_bias have normalized_shape.
struct LayerNormGrads {
  Tensor input, weight, bias;
};
LayerNormGrads layer_norm_backward(const Tensor& grad_out, const Tensor& input, const Tensor& mean, const Tensor& rstd,
                                   const Tensor& weight, IntArrayRef normalized_shape, int64_t M, int64_t N,
                                   bool need_input, bool need_weight, bool need_bias);

}  // namespace native
}  // namespace webtorch
