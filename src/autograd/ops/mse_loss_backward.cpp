// mse_loss_backward(grad_output, self, target, reduction) = norm * (self - target) * grad_output
// (norm 2, or 2 / numel for a mean), mse_loss's backward for both inputs (for the target torch
// calls it with self and target swapped), and its node MseLossBackwardBackward0 with torch 1.13's
// formulas (mse_loss_double_backward and mse_loss_double_backward_grad_output):
//   grad_output: mse_loss_backward(grad, self, target, none), or for a reduced loss
//                (mse_loss_backward(ones, self, target, reduction) * grad).sum()
//   self:        norm * grad * grad_output;  target: its negation

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"
#include "ops/mse_loss.h"

namespace webtorch {

namespace {
double norm_of(Reduction reduction, int64_t numel) { return reduction == Reduction::Mean ? 2.0 / double(numel) : 2.0; }

struct MseLossBackwardBackward0 : Node {
  std::string name() const override { return "MseLossBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor grad_output = grad_output_.unpack(this), self = self_.unpack(this), target = target_.unpack(this);
    variable_list out(3);
    if (should_compute_output(0)) {
      out[0] = reduction_ == Reduction::None
                   ? mse_loss_backward(g, self, target, reduction_)
                   : sum(mul(mse_loss_backward(ones_like(grad_output), self, target, reduction_), g));
    }
    if (should_compute_output(1) || should_compute_output(2)) {
      const Tensor d = mul(mul(g, grad_output), Scalar(norm_of(reduction_, self.numel())));
      if (should_compute_output(1)) out[1] = d;
      if (should_compute_output(2)) out[2] = neg(d);
    }
    return out;
  }
  void release_variables() override {
    grad_output_.reset_data();
    self_.reset_data();
    target_.reset_data();
  }
  SavedVariable grad_output_, self_, target_;
  Reduction reduction_ = Reduction::Mean;
};
}  // namespace

Tensor mse_loss_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target, Reduction reduction) {
  auto node = autograd::make_node<MseLossBackwardBackward0>({&grad_output, &self, &target});
  if (node) {
    node->grad_output_ = SavedVariable(grad_output, false);
    node->self_ = SavedVariable(self, false);
    node->target_ = SavedVariable(target, false);
    node->reduction_ = reduction;
  }
  Tensor gi = native::mse_loss_backward(grad_output, self, target, reduction);
  if (node) autograd::set_history(gi, node);
  return gi;
}

}  // namespace webtorch
