// gelu(self, approximate): 'none' is the exact form (gelu.cpp); 'tanh' is
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), with GeluBackward0 as torch's tanh
// kernel writes its gradient:
//   inner = k_beta (x + k_kappa x^3), t = tanh(inner)
//   grad * (0.5 (1 + t) + 0.5 x (1 - t^2) k_beta (1 + 3 k_kappa x^2))
// in recordable ops, so create_graph differentiates it again.

#include <cmath>
#include <string>

#include "autograd/ops/unary_lane_op.h"

namespace webtorch {

namespace {
constexpr float kBeta = float(M_SQRT2 * M_2_SQRTPI * 0.5);
constexpr float kKappa = 0.044715f;

struct GeluTanhBackward : SavesSelfNode {
  std::string name() const override { return "GeluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor x = self_.unpack(this);
    const Tensor x_sq = mul(x, x);
    const Tensor inner = mul(add(x, mul(mul(x_sq, x), Scalar(kKappa))), Scalar(kBeta));
    const Tensor t = tanh(inner);
    const Tensor left_derivative = mul(add(t, Scalar(1)), Scalar(0.5));
    const Tensor tanh_derivative = sub(ones_like(t), mul(t, t));
    const Tensor inner_derivative = mul(add(mul(x_sq, Scalar(3 * kKappa)), Scalar(1)), Scalar(kBeta));
    const Tensor right_derivative = mul(mul(mul(x, Scalar(0.5)), tanh_derivative), inner_derivative);
    return {mul(grads[0], add(left_derivative, right_derivative))};
  }
};

float gelu_tanh_lane(float x) {
  const float inner = kBeta * (x + kKappa * x * x * x);
  return 0.5f * x * (1.0f + std::tanh(inner));
}
}  // namespace

Tensor gelu(const Tensor& self, const std::string& approximate) {
  WT_CHECK(approximate == "none" || approximate == "tanh", "approximate argument must be either none or tanh.");
  if (approximate == "none") return gelu(self);
  check_dispatch(is_floating(self.dtype()), "GeluKernelImpl", self.dtype());
  return record_unary_lane<GeluTanhBackward>(gelu_tanh_lane, self);
}

}  // namespace webtorch
