// log and LogBackward0 (grad / self). Integral inputs give float32.

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct LogBackward0 : Node {
  std::string name() const override { return "LogBackward0"; }
  variable_list apply(variable_list&& grads) override { return {div(grads[0], self_.unpack(this))}; }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};
}  // namespace

Tensor log(const Tensor& self) {
  auto node = autograd::make_node<LogBackward0>({&self});
  if (node) node->self_ = SavedVariable(self, false);
  Tensor out = unary_out_of_place(kernels::UnaryOp::Log, self, float_op_type(self.dtype()));
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
