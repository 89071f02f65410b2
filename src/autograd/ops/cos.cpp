// cos and CosBackward0 (grad * -sin(self)). Integral inputs give float32; the value runs the
// float lane std::cos (no SIMD form).

#include <cmath>

#include "autograd/ops/unary_lane_op.h"

namespace webtorch {

namespace {
struct CosBackward0 : SavesSelfNode {
  std::string name() const override { return "CosBackward0"; }
  variable_list apply(variable_list&& grads) override { return {mul(grads[0], neg(sin(self_.unpack(this))))}; }
};
float cos_lane(float x) { return std::cos(x); }
}  // namespace

Tensor cos(const Tensor& self) { return record_unary_lane<CosBackward0>(cos_lane, self); }

}  // namespace webtorch
