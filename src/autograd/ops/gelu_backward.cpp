// gelu_backward(grad_output, self) = grad_output * (Phi(x) + x phi(x)) (exact gelu) and its
// node GeluBackwardBackward0: grad_output gets gelu_backward(grad, self); self gets
// grad * grad_output * gelu''(x), gelu''(x) = phi(x) (2 - x^2) with phi the normal density.

#include <cmath>

#include "autograd/ops/fused_backward_op.h"

namespace webtorch {

namespace {
struct GeluBackwardBackward0 : FusedBackwardNode {
  std::string name() const override { return "GeluBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor grad_output = grad_output_.unpack(this), self = saved_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = gelu_backward(grads[0], self);
    if (should_compute_output(1)) {
      const double inv_sqrt_2pi = 0.5 * M_2_SQRTPI * M_SQRT1_2;
      const Tensor x2 = mul(self, self);
      const Tensor pdf = mul(exp(mul(x2, Scalar(-0.5))), Scalar(inv_sqrt_2pi));
      out[1] = mul(mul(grads[0], grad_output), mul(pdf, add(neg(x2), Scalar(2.0))));
    }
    return out;
  }
};
}  // namespace

Tensor gelu_backward(const Tensor& grad_output, const Tensor& self) {
  return record_fused_backward<GeluBackwardBackward0>(kernels::BinaryOp::GeluBackward, grad_output, self);
}

}  // namespace webtorch
