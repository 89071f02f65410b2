#pragma once
// The value half of conv_transpose2d (ops/conv_transpose2d.cpp): PyTorch 1.13's checks, the
// float32 forward and the weight's gradient. A transposed convolution is the input gradient
// of the convolution it transposes, so both reuse ops/conv2d.cpp's GEMMs (Note [Convolution
// as a GEMM]). Nothing here records; the op and its node are in autograd/ops/conv_transpose2d.cpp.

#include "core/tensor.h"
#include "ops/conv2d.h"

namespace webtorch {
namespace native {

// The checks of at::convolution(transposed=true) on a batched (4-D) input, in PyTorch 1.13's
// order (expand_param_if_needed, check_shape_forward, then slow_conv_transpose2d's shape and
// dtype checks). The result describes the convolution being transposed: its input is the
// transposed convolution's output, of size *out_h x *out_w, and its output size (p.oh, p.ow)
// is the transposed convolution's input size.
ConvParams check_conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                                IntArrayRef padding, IntArrayRef output_padding, IntArrayRef dilation, int64_t groups,
                                int64_t* out_h, int64_t* out_w);

// The transposed convolution of checked arguments: weight [Cin, Cout / groups, KH, KW].
Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p, int64_t out_h,
                      int64_t out_w);

// The weight's gradient: the convolution's weight gradient with the roles of input and
// output exchanged (grad_output is the convolution's input, input its output gradient).
Tensor conv_transpose_weight_grad(const Tensor& grad_output, const Tensor& input, IntArrayRef weight_sizes,
                                  const ConvParams& p);

}  // namespace native
}  // namespace webtorch
