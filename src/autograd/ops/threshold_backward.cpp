// threshold_backward(grad_output, self, threshold) = where(self <= threshold, 0, grad_output)
// (relu's backward, from its result) and its node ThresholdBackwardBackward0: grad_output
// gets threshold_backward(grad, self, threshold), self gets zeros (torch 1.13: zeros_like).

#include "core/grad_mode.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ThresholdBackwardBackward0 : Node {
  std::string name() const override { return "ThresholdBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = threshold_backward(grads[0], self, threshold_);
    if (should_compute_output(1)) out[1] = zeros_like(grads[0]);
    return out;
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  double threshold_ = 0;
};
}  // namespace

Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, double threshold) {
  auto node = autograd::make_node<ThresholdBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->threshold_ = threshold;
  }
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    Tensor blocked = empty(self.sizes(), ScalarType::Bool);
    kernels::binary(kernels::BinaryOp::Le, blocked, self, scalar_to_tensor(threshold));
    return where(blocked, Scalar(0.0), grad_output);
  }();
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
