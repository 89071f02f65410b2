// conv_transpose2d's values (ops/conv_transpose2d.h). The forward is ops/conv2d.cpp's input
// gradient of the transposed convolution's weight, the weight's gradient its weight
// gradient, so the fast GEMM paths are shared.

#include "ops/conv_transpose2d.h"

#include "ops/op_utils.h"

namespace webtorch {
namespace native {

ConvParams check_conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                                IntArrayRef padding, IntArrayRef output_padding, IntArrayRef dilation, int64_t groups,
                                int64_t* out_h, int64_t* out_w) {
  const int64_t dim = weight.dim() - 2;
  WT_CHECK(dim > 0, "weight should have at least three dimensions");
  WT_CHECK(groups > 0, "non-positive groups is not supported");
  const DimVector s = expand_param(stride, "stride", dim);
  const DimVector pad = expand_param(padding, "padding", dim);
  const DimVector d = expand_param(dilation, "dilation", dim);
  const DimVector op = expand_param(output_padding, "output_padding", dim);
  // check_shape_forward
  for (int64_t v : pad) WT_CHECK(v >= 0, "negative padding is not supported");
  for (int64_t v : op) WT_CHECK(v >= 0, "negative output_padding is not supported");
  for (int64_t v : s) WT_CHECK(v > 0, "non-positive stride is not supported");
  const IntArrayRef ws = weight.sizes();
  WT_CHECK(weight.dim() == input.dim(), "Expected ", weight.dim(), "-dimensional input for ", weight.dim(),
           "-dimensional weight ", ws, ", but got ", input.dim(), "-dimensional input of size ", input.sizes(),
           " instead");
  WT_CHECK(ws[0] >= groups, "Given groups=", groups, ", expected weight to be at least ", groups,
           " at dimension 0, but got weight of size ", ws, " instead");
  WT_CHECK(ws[0] % groups == 0, "Given groups=", groups, ", expected weight to be divisible by ", groups,
           " at dimension 0, but got weight of size [", ws, "] instead");
  WT_CHECK(input.size(1) == ws[0], "Given transposed=1, weight of size ", ws, ", expected input", input.sizes(),
           " to have ", ws[0], " channels, but got ", input.size(1), " channels instead");
  WT_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == ws[1] * groups), "Given transposed=1, weight of size ",
           ws, ", expected bias to be 1-dimensional with ", ws[1] * groups, " elements, but got bias of size ",
           bias.defined() ? bias.sizes() : IntArrayRef(), " instead");
  // slow_conv_transpose2d_shape_check and the kernel's dtype dispatch.
  WT_CHECK(d[0] > 0 && d[1] > 0, "dilation should be greater than zero, but got dilation_height: ", d[0],
           ", dilation_width: ", d[1]);
  WT_CHECK((op[1] < s[1] || op[1] < d[1]) && (op[0] < s[0] || op[0] < d[0]),
           "output padding must be smaller than either stride or dilation, but got output_padding_height: ", op[0],
           " output_padding_width: ", op[1], " stride_height: ", s[0], " stride_width: ", s[1],
           " dilation_height: ", d[0], " dilation_width: ", d[1]);
  const int64_t H = input.size(2), W = input.size(3);
  const int64_t oh = (H - 1) * s[0] - 2 * pad[0] + d[0] * (ws[2] - 1) + 1 + op[0];
  const int64_t ow = (W - 1) * s[1] - 2 * pad[1] + d[1] * (ws[3] - 1) + 1 + op[1];
  WT_CHECK(oh >= 1 && ow >= 1, "Given input size per channel: (", H, " x ", W, "). Calculated output size per channel: (",
           oh, " x ", ow, "). Output size is too small");
  const ScalarType t = input.dtype();
  WT_CHECK(t == ScalarType::Float32, "\"slow_conv_transpose2d_out_cpu\" not implemented for '", torch_name(t), "'");
  WT_CHECK(weight.dtype() == t, "expected scalar type ", torch_name(t), " but found ", torch_name(weight.dtype()));
  WT_CHECK(!bias.defined() || bias.dtype() == t, "expected scalar type ", torch_name(t), " but found ",
           torch_name(bias.dtype()));

  ConvParams p;
  p.sh = s[0], p.sw = s[1], p.dh = d[0], p.dw = d[1];
  p.pt = p.pb = pad[0], p.pl = p.pr = pad[1];
  p.groups = groups;
  p.oh = H, p.ow = W;
  *out_h = oh, *out_w = ow;
  return p;
}

Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p, int64_t out_h,
                      int64_t out_w) {
  const int64_t N = input.size(0), Cout = weight.size(1) * p.groups;
  const DimVector sizes{N, Cout, out_h, out_w};
  Tensor out = input.numel() == 0 || weight.numel() == 0
                   ? zeros(sizes)
                   : convolution_backward(input, Tensor(), weight, sizes, weight.sizes(), p, {true, false, false})[0];
  if (bias.defined() && out.numel() > 0) {
    const Tensor bc = bias.is_contiguous() ? bias : contiguous_clone(bias);
    const float* bd = bc.data<float>();
    float* od = out.data<float>();
    const int64_t P = out_h * out_w;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < Cout; ++c) {
        float* o = od + (n * Cout + c) * P;
        for (int64_t i = 0; i < P; ++i) o[i] += bd[c];
      }
  }
  return out;
}

Tensor conv_transpose_weight_grad(const Tensor& grad_output, const Tensor& input, IntArrayRef weight_sizes,
                                  const ConvParams& p) {
  return convolution_backward(input, grad_output, Tensor(), grad_output.sizes(), weight_sizes, p, {false, true, false})[1];
}

}  // namespace native
}  // namespace webtorch
