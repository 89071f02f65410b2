// convolution_backward(grad_output, input, weight) -> (grad_input, grad_weight, grad_bias), and
// its node ConvolutionBackwardBackward0 with torch 1.13's _convolution_double_backward. With
// ggI, ggW, ggb the gradients arriving for the three outputs (any may be missing):
//   grad_output: conv(ggI, weight) + conv(input, ggW) + ggb (broadcast over N, H, W)
//   input:       the input gradient of conv(., ggW) at grad_output
//   weight:      the weight gradient of conv(ggI, .) at grad_output
// Each term is a recorded convolution or convolution_backward, so the result differentiates
// again, to any order.

#include "autograd/ops/convolution_backward.h"

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

Tensor add_defined(const Tensor& a, const Tensor& b) { return a.defined() ? add(a, b) : b; }

struct ConvolutionBackwardBackward0 : Node {
  std::string name() const override { return "ConvolutionBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    // Note [Outputs of convolution_backward]: only the outputs output_mask asked for were
    // registered, in order; slots_ maps each back to its place (input, weight, bias).
    std::array<Tensor, 3> gg;
    for (size_t i = 0; i < grads.size() && i < slots_.size(); ++i) gg[slots_[i]] = grads[i];
    const Tensor &ggI = gg[0], &ggW = gg[1], &ggb = gg[2];
    const Tensor grad_output = grad_output_.unpack(this);
    const Tensor input = input_.unpack(this), weight = weight_.unpack(this);
    variable_list out(3);
    if (should_compute_output(0)) {
      Tensor ggO;
      if (ggI.defined()) ggO = webtorch::convolution(ggI, weight, ggb, p_);
      if (ggW.defined()) ggO = add_defined(ggO, webtorch::convolution(input, ggW, ggI.defined() ? Tensor() : ggb, p_));
      if (!ggO.defined() && ggb.defined()) ggO = expand(reshape(ggb, {1, -1, 1, 1}), grad_output.sizes());
      out[0] = ggO;
    }
    if (should_compute_output(1) && ggW.defined())
      out[1] = webtorch::convolution_backward(grad_output, input, ggW, input.sizes(), ggW.sizes(), p_, {true, false, false})[0];
    if (should_compute_output(2) && ggI.defined()) {
      const Tensor gW =
          webtorch::convolution_backward(grad_output, ggI, weight, ggI.sizes(), weight.sizes(), p_, {false, true, false})[1];
      // torch convolves over the batch (channels first) and returns the transpose(0, 1) of that:
      // a view, with those strides.
      out[2] = transpose(contiguous(transpose(gW, 0, 1)), 0, 1);
    }
    return out;
  }
  void release_variables() override {
    grad_output_.reset_data();
    input_.reset_data();
    weight_.reset_data();
  }
  SavedVariable grad_output_, input_, weight_;
  native::ConvParams p_;
  std::vector<size_t> slots_;
};

}  // namespace

std::array<Tensor, 3> convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                           IntArrayRef input_sizes, IntArrayRef weight_sizes,
                                           const native::ConvParams& p, std::array<bool, 3> output_mask) {
  auto node = autograd::make_node<ConvolutionBackwardBackward0>({&grad_output, &input, &weight});
  if (node) {
    node->grad_output_ = SavedVariable(grad_output, false);
    node->input_ = SavedVariable(input, false);
    node->weight_ = SavedVariable(weight, false);
    node->p_ = p;
  }
  std::array<Tensor, 3> out =
      native::convolution_backward(grad_output, input, weight, input_sizes, weight_sizes, p, output_mask);
  if (node)
    for (size_t i = 0; i < 3; ++i)
      if (out[i].defined()) {
        node->slots_.push_back(i);
        autograd::set_history(out[i], node);
      }
  return out;
}

}  // namespace webtorch
