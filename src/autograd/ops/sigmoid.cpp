// sigmoid and SigmoidBackward0 (sigmoid_backward: grad * (1 - result) * result). Integral
// inputs give float32.

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SigmoidBackward0 : Node {
  std::string name() const override { return "SigmoidBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {sigmoid_backward(grads[0], result_.unpack(this))};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};
}  // namespace

Tensor sigmoid(const Tensor& self) {
  auto node = autograd::make_node<SigmoidBackward0>({&self});
  Tensor out = unary_out_of_place(kernels::UnaryOp::Sigmoid, self, float_op_type(self.dtype()));
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
