// sin and SinBackward0 (grad * cos(self)). Integral inputs give float32; the value runs the
// float lane std::sin (no SIMD form).

#include <cmath>

#include "autograd/ops/unary_lane_op.h"

namespace webtorch {

namespace {
struct SinBackward0 : SavesSelfNode {
  std::string name() const override { return "SinBackward0"; }
  variable_list apply(variable_list&& grads) override { return {mul(grads[0], cos(self_.unpack(this)))}; }
};
float sin_lane(float x) { return std::sin(x); }
}  // namespace

Tensor sin(const Tensor& self) { return record_unary_lane<SinBackward0>(sin_lane, self); }

}  // namespace webtorch
