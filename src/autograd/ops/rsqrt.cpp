// rsqrt and RsqrtBackward0 (-0.5 * grad * result^3, from the saved result as torch does).
// Integral inputs give float32; the value runs the float lane 1 / std::sqrt (no SIMD form).

#include <cmath>

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct RsqrtBackward0 : Node {
  std::string name() const override { return "RsqrtBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor result = result_.unpack(this);
    return {mul(mul(grads[0], Scalar(-0.5)), mul(mul(result, result), result))};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};
float rsqrt_lane(float x) { return 1.0f / std::sqrt(x); }
}  // namespace

Tensor rsqrt(const Tensor& self) {
  auto node = autograd::make_node<RsqrtBackward0>({&self});
  Tensor out = unary_out_of_place(rsqrt_lane, self);
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
