// silu (x * sigmoid(x), computed as torch's kernel: x / (1 + exp(-x))) and SiluBackward0
// (grad * s * (1 + x * (1 - s)), s = sigmoid(x), torch's silu_backward). Floating inputs only,
// as torch ("silu_cpu" not implemented for integers).

#include <cmath>

#include "autograd/ops/unary_lane_op.h"

namespace webtorch {

namespace {
struct SiluBackward0 : SavesSelfNode {
  std::string name() const override { return "SiluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    const Tensor s = sigmoid(self);
    return {mul(mul(grads[0], s), add(mul(self, sub(ones_like(s), s)), Scalar(1)))};
  }
};
float silu_lane(float x) { return x / (1.0f + std::exp(-x)); }
}  // namespace

Tensor silu(const Tensor& self) {
  check_dispatch(is_floating(self.dtype()), "silu_cpu", self.dtype());
  return record_unary_lane<SiluBackward0>(silu_lane, self);
}

}  // namespace webtorch
