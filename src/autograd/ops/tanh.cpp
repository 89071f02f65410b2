// tanh and TanhBackward0 (tanh_backward: grad * (1 - result^2)). Integral inputs give float32.

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct TanhBackward0 : Node {
  std::string name() const override { return "TanhBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {tanh_backward(grads[0], result_.unpack(this))};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};
}  // namespace

Tensor tanh(const Tensor& self) {
  auto node = autograd::make_node<TanhBackward0>({&self});
  Tensor out = unary_out_of_place(kernels::UnaryOp::Tanh, self, float_op_type(self.dtype()));
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
