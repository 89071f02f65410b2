// conv2d and ConvolutionBackward0: the checks of at::conv2d (batchify, padding), the node and
// its formula. The values are computed by ops/conv2d.cpp (Note [Convolution as a GEMM]).

#include "autograd/ops/convolution_backward.h"
#include "core/dispatch_below_autograd.h"
#include "ops/conv2d.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

using native::ConvParams;
using native::expand_param;

struct ConvolutionBackward0 : Node {
  std::string name() const override { return "ConvolutionBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor input = input_.unpack(this), weight = weight_.unpack(this);
    const std::array<Tensor, 3> out = webtorch::convolution_backward(
        grads[0], input, weight, input_sizes_, weight_sizes_, p_,
        {should_compute_output(0), should_compute_output(1), should_compute_output(2)});
    return {out[0], out[1], out[2]};
  }

  void release_variables() override {
    input_.reset_data();
    weight_.reset_data();
  }
  // input is read for the weight's gradient, weight for the input's.
  SavedVariable input_, weight_;
  DimVector input_sizes_, weight_sizes_;
  ConvParams p_;
};

// The convolution proper on a batched (4-D) input; pads = {top, bottom, left, right}.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                   const int64_t pads[4], IntArrayRef dilation, int64_t groups) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<ConvolutionBackward0>({&input, &weight, &bias});
  if (node) {
    // Both always, as torch saves them: convolution_backward's node (createGraph) then has the
    // edges torch's ConvolutionBackwardBackward0 has, even to an input only one gradient reads.
    node->input_ = SavedVariable(input, false);
    node->weight_ = SavedVariable(weight, false);
    node->input_sizes_.assign(input.sizes());
    node->weight_sizes_.assign(weight.sizes());
  }
  const ConvParams p = native::check_convolution(input, weight, bias, stride, pads, dilation, groups);
  if (node) node->p_ = p;
  Tensor out = native::convolution(input, weight, bias, p);
  if (node) autograd::set_history(out, node);
  return out;
}

// PyTorch's autograd layer of convolution, which runs before the argument checks of conv2d
// below (Note [The autograd layer checks before the kernel]): it reads the inputs' grad_fn
// and saves input and weight (refusing an inference tensor).
void record_first(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  if (!autograd::compute_requires_grad({&x, &weight, &bias})) return;
  (void)autograd::collect_next_edges({&x, &weight, &bias});
  SavedVariable::check_savable(x);  // torch saves both, whichever gradient is wanted
  SavedVariable::check_savable(weight);
}

template <class Body>
Tensor batchified(const Tensor& input, Body&& body) {
  WT_CHECK(input.dim() == 3 || input.dim() == 4,
           "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ", input.sizes());
  if (input.dim() == 4) return body(input);
  return squeeze(body(unsqueeze(input, 0)), 0);
}

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const native::ConvParams& p) {
  const int64_t pads[4] = {p.pt, p.pb, p.pl, p.pr};
  return convolution(input, weight, bias, IntArrayRef({p.sh, p.sw}), pads, IntArrayRef({p.dh, p.dw}), p.groups);
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return batchified(input, [&](const Tensor& x) {
    record_first(x, weight, bias);
    const int64_t dim = weight.dim() - 2;
    WT_CHECK(dim > 0, "weight should have at least three dimensions");
    WT_CHECK(groups > 0, "non-positive groups is not supported");
    expand_param(stride, "stride", dim);
    const DimVector pad = expand_param(padding, "padding", dim);
    const int64_t pads[4] = {pad[0], pad[0], pad[1], pad[1]};
    return convolution(x, weight, bias, stride, pads, dilation, groups);
  });
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation, int64_t groups) {
  return batchified(input, [&](const Tensor& x) {
    if (padding == "valid") return conv2d(x, weight, bias, stride, IntArrayRef({0}), dilation, groups);
    WT_CHECK(padding == "same", "Invalid padding string: '", padding, "'");
    const int64_t k = weight.dim();
    WT_CHECK(k > 2, "weight should have at least three dimensions");
    WT_CHECK(k == x.dim(), "Expected ", k, "-dimensional input for ", k, "-dimensional weight", weight.sizes(),
             ", but got ", x.dim(), "-dimensional input of size ", x.sizes(), " instead");
    const int64_t dim = k - 2;
    WT_CHECK(int64_t(stride.size()) == dim || stride.size() == 1, "stride cannot broadcast to ", dim, " dimensions");
    WT_CHECK(int64_t(dilation.size()) == dim || dilation.size() == 1, "dilation cannot broadcast to ", dim,
             " dimensions");
    for (int64_t s : stride) WT_CHECK(s == 1, "padding='same' is not supported for strided convolutions");
    // Total padding d * (k - 1) per dim, the odd pixel after (PyTorch pads the input on the
    // right/bottom in that case; padding it here gives the same result without a copy).
    int64_t pads[4];
    for (int64_t i = 0; i < 2; ++i) {
      const int64_t d = dilation.size() == 1 ? dilation[0] : dilation[size_t(i)];
      const int64_t total = d * (weight.size(2 + i) - 1);
      pads[2 * i] = total / 2;
      pads[2 * i + 1] = total - total / 2;
    }
    return convolution(x, weight, bias, stride, pads, dilation, groups);
  });
}

}  // namespace webtorch
