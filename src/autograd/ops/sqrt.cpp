// sqrt and SqrtBackward0 (grad / (2 * result)). Integral inputs give float32.

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SqrtBackward0 : Node {
  std::string name() const override { return "SqrtBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {div(grads[0], mul(result_.unpack(this), Scalar(2)))};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};
}  // namespace

Tensor sqrt(const Tensor& self) {
  auto node = autograd::make_node<SqrtBackward0>({&self});
  Tensor out = unary_out_of_place(kernels::UnaryOp::Sqrt, self, float_op_type(self.dtype()));
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
