#pragma once
// The value half of conv2d (ops/conv2d.cpp, Note [Convolution as a GEMM]): PyTorch's checks,
// the forward for float32 and int32, and the float32 gradients. Nothing here records; the op
// and ConvolutionBackward0 are in autograd/ops/conv2d.cpp.

#include <array>

#include "core/tensor.h"

namespace webtorch {
namespace native {

struct ConvParams {
  int64_t sh = 1, sw = 1;                  // stride
  int64_t pt = 0, pb = 0, pl = 0, pr = 0;  // padding: top, bottom, left, right
  int64_t dh = 1, dw = 1;                  // dilation
  int64_t groups = 1;
  // The output size when > 0: a transposed convolution's output_padding leaves the size of
  // the convolution it transposes ambiguous (ops/conv_transpose2d.cpp).
  int64_t oh = 0, ow = 0;
};

// expand_param_if_needed: one value for every spatial dim, or exactly one per dim.
DimVector expand_param(IntArrayRef list, const char* name, int64_t dim);

// The checks of at::_convolution on a batched (4-D) input, in PyTorch 1.13's order
// (check_shape_forward, then the backend's dtype checks); pads = {top, bottom, left, right}.
ConvParams check_convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                             const int64_t pads[4], IntArrayRef dilation, int64_t groups);

// The convolution of checked arguments.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p);

// at::convolution_backward for float32: the gradients of input, weight and bias that
// output_mask asks for (input is read for the weight's, weight for the input's).
std::array<Tensor, 3> convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                           IntArrayRef input_sizes, IntArrayRef weight_sizes, const ConvParams& p,
                                           std::array<bool, 3> output_mask);

}  // namespace native
}  // namespace webtorch
