// erf and ErfBackward0 (2 / sqrt(pi) * exp(-self^2) * grad, torch's formula in its order).
// Integral inputs give float32; the value runs the float lane std::erf (no SIMD form).

#include <cmath>

#include "autograd/ops/unary_lane_op.h"

namespace webtorch {

namespace {
struct ErfBackward0 : SavesSelfNode {
  std::string name() const override { return "ErfBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    return {mul(mul(exp(neg(mul(self, self))), Scalar(M_2_SQRTPI)), grads[0])};
  }
};
float erf_lane(float x) { return std::erf(x); }
}  // namespace

Tensor erf(const Tensor& self) { return record_unary_lane<ErfBackward0>(erf_lane, self); }

}  // namespace webtorch
