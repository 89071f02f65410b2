// sigmoid_backward(grad_output, output) = grad_output * (1 - output) * output and its node
// SigmoidBackwardBackward0 (torch 1.13: grad_output gets sigmoid_backward(grad, output), output
// gets grad * grad_output * (1 - 2 output)).

#include "autograd/ops/fused_backward_op.h"

namespace webtorch {

namespace {
struct SigmoidBackwardBackward0 : FusedBackwardNode {
  std::string name() const override { return "SigmoidBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor grad_output = grad_output_.unpack(this), output = saved_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = sigmoid_backward(grads[0], output);
    if (should_compute_output(1))
      out[1] = mul(mul(grads[0], grad_output), add(mul(output, Scalar(-2.0)), Scalar(1.0)));
    return out;
  }
};
}  // namespace

Tensor sigmoid_backward(const Tensor& grad_output, const Tensor& output) {
  return record_fused_backward<SigmoidBackwardBackward0>(kernels::BinaryOp::SigmoidBackward, grad_output, output);
}

}  // namespace webtorch
