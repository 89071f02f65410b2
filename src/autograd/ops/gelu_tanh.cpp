// gelu(self, approximate): 'none' is the exact form (gelu.cpp); 'tanh' is
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), with GeluBackward0 as torch's tanh
// kernel writes its gradient:
//   inner = k_beta (x + k_kappa x^3), t = tanh(inner)
//   grad * (0.5 (1 + t) + 0.5 x (1 - t^2) k_beta (1 + 3 k_kappa x^2))
// recorded as its own op (GeluBackwardBackward0, Note [The double backward of tanh-gelu]).

#include <cmath>
#include <string>

#include "autograd/ops/unary_lane_op.h"
#include "core/grad_mode.h"

namespace webtorch {

namespace {
constexpr double kBeta = M_SQRT2 * M_2_SQRTPI * 0.5;
constexpr double kKappa = 0.044715;

// tanh(inner) and its two factors, inner = k_beta (x + k_kappa x^3), h = inner'.
struct TanhParts {
  Tensor x_sq, inner, tanh_inner, h;
};
TanhParts tanh_parts(const Tensor& x) {
  const Tensor x_sq = mul(x, x);
  const Tensor inner = mul(add(x, mul(mul(x_sq, x), Scalar(kKappa))), Scalar(kBeta));
  return {x_sq, inner, tanh(inner), mul(add(mul(x_sq, Scalar(3 * kKappa)), Scalar(1)), Scalar(kBeta))};
}

// torch's tanh-gelu backward kernel: grad * (0.5 (1 + t) + 0.5 x (1 - t^2) h).
Tensor gelu_tanh_backward_value(const Tensor& grad, const Tensor& x) {
  const TanhParts p = tanh_parts(x);
  const Tensor left_derivative = mul(add(p.tanh_inner, Scalar(1)), Scalar(0.5));
  const Tensor g = sub(ones_like(p.tanh_inner), mul(p.tanh_inner, p.tanh_inner));
  const Tensor right_derivative = mul(mul(mul(x, Scalar(0.5)), g), p.h);
  return mul(grad, add(left_derivative, right_derivative));
}

Tensor gelu_tanh_backward(const Tensor& grad, const Tensor& self);

// Note [The double backward of tanh-gelu]
// Differentiating the first-order formula through tanh's own backward (1 - t^2) cancels badly
// where |x| is a few units (1 + t and 1 - t^2 are small there); torch's gelu_double_backward
// writes the derivative of 1 - t^2 with sech = 1 / cosh(inner) instead, and this node does the
// same, so double backward agrees with torch. sech is 2 / (e^inner + e^-inner), in recordable
// ops (0 where cosh overflows).
struct GeluTanhBackwardBackward : Node {
  std::string name() const override { return "GeluBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor grad = grad_.unpack(this), x = self_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = gelu_tanh_backward(grads[0], x);
    if (should_compute_output(1)) {
      const TanhParts p = tanh_parts(x);
      const Tensor sech = div(mul(ones_like(p.inner), Scalar(2.0)), add(exp(p.inner), exp(neg(p.inner))));
      const Tensor f = mul(x, Scalar(0.5));
      const Tensor g = sub(ones_like(p.tanh_inner), mul(p.tanh_inner, p.tanh_inner));
      const Tensor f_prime_gh = mul(mul(g, Scalar(0.5)), p.h);
      const Tensor g_prime = mul(mul(mul(sech, Scalar(2)), neg(mul(sech, p.tanh_inner))), p.h);
      const Tensor g_prime_fh = mul(mul(f, p.h), g_prime);
      const Tensor h_prime = mul(x, Scalar(6 * kKappa * kBeta));
      const Tensor h_prime_fg = mul(mul(f, g), h_prime);
      const Tensor sum_terms = add(add(add(f_prime_gh, f_prime_gh), g_prime_fh), h_prime_fg);
      out[1] = mul(mul(grads[0], grad), sum_terms);
    }
    return out;
  }
  void release_variables() override {
    grad_.reset_data();
    self_.reset_data();
  }
  SavedVariable grad_, self_;
};

Tensor gelu_tanh_backward(const Tensor& grad, const Tensor& self) {
  auto node = autograd::make_node<GeluTanhBackwardBackward>({&grad, &self});
  if (node) {
    node->grad_ = SavedVariable(grad, false);
    node->self_ = SavedVariable(self, false);
  }
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    return gelu_tanh_backward_value(grad, self);
  }();
  if (node) autograd::set_history(out, node);
  return out;
}

struct GeluTanhBackward : SavesSelfNode {
  std::string name() const override { return "GeluBackward0"; }
  variable_list apply(variable_list&& grads) override { return {gelu_tanh_backward(grads[0], self_.unpack(this))}; }
};

float gelu_tanh_lane(float x) {
  const float inner = float(kBeta) * (x + float(kKappa) * x * x * x);
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
