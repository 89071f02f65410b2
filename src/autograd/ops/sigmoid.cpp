// sigmoid and SigmoidBackward0 (sigmoid_backward: grad * (1 - result) * result). Integral
// inputs give float32.

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SigmoidBackward0 : Node {
  std::string name() const override { return "SigmoidBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor result = result_.unpack(this);
    // TODO(higher-order): a sigmoid_backward op with its own node (PyTorch:
    // SigmoidBackwardBackward0); the kernel call below does not record.
    Tensor out = empty(shape::broadcast_shapes(grads[0].sizes(), result.sizes()), result.dtype());
    kernels::binary(kernels::BinaryOp::SigmoidBackward, out, cast_to(grads[0], result.dtype()), result);
    return {out};
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
