// mse_loss and MseLossBackward0. Inputs of different shapes are broadcast first with
// expand (recorded), as torch.nn.functional.mse_loss does (it warns; webtorch does not).
// The values are computed by ops/mse_loss.cpp.

#include "autograd/ops/backward_ops.h"
#include "ops/mse_loss.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct MseLossBackward0 : Node {
  std::string name() const override { return "MseLossBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this), target = target_.unpack(this);
    variable_list out(2);
    // For the target torch calls mse_loss_backward with self and target swapped.
    if (should_compute_output(1)) out[1] = mse_loss_backward(grads[0], target, self, reduction_);
    if (should_compute_output(0)) out[0] = mse_loss_backward(grads[0], self, target, reduction_);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    target_.reset_data();
  }
  SavedVariable self_, target_;
  Reduction reduction_ = Reduction::Mean;
};

}  // namespace

Tensor mse_loss(const Tensor& self, const Tensor& target, Reduction reduction) {
  if (!self.sizes().equals(target.sizes())) {
    const DimVector shape = shape::broadcast_shapes(self.sizes(), target.sizes());
    return mse_loss(expand(self, shape), expand(target, shape), reduction);
  }
  native::check_mse_loss(self, target);
  auto node = autograd::make_node<MseLossBackward0>({&self, &target});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->target_ = SavedVariable(target, false);
    node->reduction_ = reduction;
  }
  Tensor out = native::mse_loss(self, target, reduction);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
