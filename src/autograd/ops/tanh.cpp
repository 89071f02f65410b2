// tanh and TanhBackward0 (tanh_backward: grad * (1 - result^2)). Integral inputs give float32.

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct TanhBackward0 : Node {
  std::string name() const override { return "TanhBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor result = result_.unpack(this);
    // TODO(higher-order): a tanh_backward op with its own node (PyTorch: TanhBackwardBackward0);
    // the kernel call below does not record.
    Tensor out = empty(shape::broadcast_shapes(grads[0].sizes(), result.sizes()), result.dtype());
    kernels::binary(kernels::BinaryOp::TanhBackward, out, cast_to(grads[0], result.dtype()), result);
    return {out};
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
