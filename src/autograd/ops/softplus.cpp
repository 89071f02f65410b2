// softplus(self, beta, threshold) = log1p(exp(beta x)) / beta, or x where beta x > threshold
// (torch's kernel), and SoftplusBackward0: grad * sigmoid(beta x) where beta x <= threshold,
// else grad. torch writes z / (z + 1) with z = exp(beta x); sigmoid is the same value without
// the inf / inf that z overflows to, so the recorded formula stays finite under create_graph
// (its derivative is torch's softplus_double_backward). Floating inputs only, as torch.

#include "autograd/ops/unary_lane_op.h"
#include "core/grad_mode.h"

namespace webtorch {

namespace {
struct SoftplusBackward0 : SavesSelfNode {
  std::string name() const override { return "SoftplusBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor scaled = mul(self_.unpack(this), Scalar(beta_));
    const Tensor linear = gt(scaled, Scalar(threshold_));
    return {where(linear, grads[0], mul(grads[0], sigmoid(scaled)))};
  }
  double beta_ = 1, threshold_ = 20;
};

}  // namespace

Tensor softplus(const Tensor& self, double beta, double threshold) {
  check_dispatch(is_floating(self.dtype()), "softplus_cpu", self.dtype());
  auto node = autograd::make_node<SoftplusBackward0>({&self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->beta_ = beta;
    node->threshold_ = threshold;
  }
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    const Tensor scaled = mul(self, Scalar(beta));
    return where(gt(scaled, Scalar(threshold)), self, div(log1p(exp(scaled)), Scalar(beta)));
  }();
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
