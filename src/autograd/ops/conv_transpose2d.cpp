// conv_transpose2d and its ConvolutionBackward0 (PyTorch 1.13 runs it through at::convolution
// with transposed=true, so the node has the convolution's name). The values are computed by
// ops/conv_transpose2d.cpp.
//
// Note [Transposed convolution backward]
// With w the weight [Cin, Cout/g, KH, KW], y = conv_transpose2d(x, w) is the input gradient of
// the convolution c(z) = conv2d(z, w) (same stride, padding, dilation, groups), so
//   dx = conv2d(gy, w)                                   (c itself, then cropped to x's size)
//   dw[ci, co] = sum_n x[n, ci] (*) gy[n, co]            (c's weight gradient, roles exchanged)
//   db = gy summed over batch and pixels.
// The first-order pass computes them with ops/conv2d.cpp's GEMMs and records nothing. Under
// createGraph they are recorded instead: dx with conv2d, dw as conv2d(gy^T, x^T) per group
// with batch as the channel dimension, stride and dilation exchanged, which is the same sum;
// so their own gradients come from conv2d's ConvolutionBackward0.

#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"
#include "ops/conv_transpose2d.h"

namespace webtorch {

namespace {

using native::ConvParams;

// dx, recorded: conv2d of gy with w, cropped when output_padding made gy longer than the
// convolution's output.
Tensor recorded_input_grad(const Tensor& gy, const Tensor& w, const ConvParams& p) {
  Tensor gx = conv2d(gy, w, Tensor(), DimVector{p.sh, p.sw}, DimVector{p.pt, p.pl}, DimVector{p.dh, p.dw}, p.groups);
  if (gx.size(2) != p.oh) gx = narrow(gx, 2, 0, p.oh);
  if (gx.size(3) != p.ow) gx = narrow(gx, 3, 0, p.ow);
  return gx;
}

// dw, recorded (Note [Transposed convolution backward]).
Tensor recorded_weight_grad(const Tensor& gy, const Tensor& x, IntArrayRef weight_sizes, const ConvParams& p) {
  const int64_t G = p.groups, Cin_g = weight_sizes[0] / G, Cout_g = weight_sizes[1];
  std::vector<Tensor> parts;
  for (int64_t gi = 0; gi < G; ++gi) {
    const Tensor gy_g = transpose(G == 1 ? gy : narrow(gy, 1, gi * Cout_g, Cout_g), 0, 1);
    const Tensor x_g = transpose(G == 1 ? x : narrow(x, 1, gi * Cin_g, Cin_g), 0, 1);
    Tensor r = conv2d(gy_g, x_g, Tensor(), DimVector{p.dh, p.dw}, DimVector{p.pt, p.pl}, DimVector{p.sh, p.sw}, 1);
    if (r.size(2) != weight_sizes[2]) r = narrow(r, 2, 0, weight_sizes[2]);
    if (r.size(3) != weight_sizes[3]) r = narrow(r, 3, 0, weight_sizes[3]);
    parts.push_back(transpose(r, 0, 1));
  }
  return G == 1 ? parts[0] : cat(parts, 0);
}

struct ConvolutionBackward0 : Node {
  std::string name() const override { return "ConvolutionBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& gy = grads[0];
    const Tensor input = should_compute_output(1) ? input_.unpack(this) : Tensor();
    const Tensor weight = should_compute_output(0) ? weight_.unpack(this) : Tensor();
    variable_list out(3);
    const bool record = GradMode::is_enabled();
    if (should_compute_output(0))
      out[0] = record ? recorded_input_grad(gy, weight, p_) : native::convolution(gy, weight, Tensor(), p_);
    if (should_compute_output(1))
      out[1] = record ? recorded_weight_grad(gy, input, weight_sizes_, p_)
                      : native::conv_transpose_weight_grad(gy, input, weight_sizes_, p_);
    if (should_compute_output(2)) out[2] = sum(gy, {0, 2, 3});
    return out;
  }
  void release_variables() override {
    input_.reset_data();
    weight_.reset_data();
  }
  // input is saved for the weight's gradient, weight for the input's.
  SavedVariable input_, weight_;
  DimVector weight_sizes_;
  ConvParams p_;
};

Tensor conv_transpose_batched(const Tensor& x, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                              IntArrayRef padding, IntArrayRef output_padding, IntArrayRef dilation, int64_t groups) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<ConvolutionBackward0>({&x, &weight, &bias});
  if (node) {
    if (node->should_compute_output(1)) node->input_ = SavedVariable(x, false);
    if (node->should_compute_output(0)) node->weight_ = SavedVariable(weight, false);
    node->weight_sizes_.assign(weight.sizes());
  }
  int64_t oh = 0, ow = 0;
  const ConvParams p =
      native::check_conv_transpose(x, weight, bias, stride, padding, output_padding, dilation, groups, &oh, &ow);
  if (node) node->p_ = p;
  Tensor out = native::conv_transpose(x, weight, bias, p, oh, ow);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                        IntArrayRef padding, IntArrayRef output_padding, IntArrayRef dilation, int64_t groups) {
  WT_CHECK(input.dim() == 3 || input.dim() == 4,
           "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ", input.sizes());
  if (input.dim() == 4)
    return conv_transpose_batched(input, weight, bias, stride, padding, output_padding, dilation, groups);
  return squeeze(
      conv_transpose_batched(unsqueeze(input, 0), weight, bias, stride, padding, output_padding, dilation, groups), 0);
}

}  // namespace webtorch
