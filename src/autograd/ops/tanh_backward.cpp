// tanh_backward(grad_output, output) = grad_output * (1 - output^2) and its node
// TanhBackwardBackward0 (torch 1.13's derivatives.yaml: grad_output gets tanh_backward(grad,
// output), output gets grad * -2 * output * grad_output).

#include "autograd/ops/fused_backward_op.h"

namespace webtorch {

namespace {
struct TanhBackwardBackward0 : FusedBackwardNode {
  std::string name() const override { return "TanhBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor grad_output = grad_output_.unpack(this), output = saved_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = tanh_backward(grads[0], output);
    if (should_compute_output(1)) out[1] = mul(grads[0], mul(mul(output, Scalar(-2.0)), grad_output));
    return out;
  }
};
}  // namespace

Tensor tanh_backward(const Tensor& grad_output, const Tensor& output) {
  return record_fused_backward<TanhBackwardBackward0>(kernels::BinaryOp::TanhBackward, grad_output, output);
}

}  // namespace webtorch
