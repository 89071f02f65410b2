// abs and AbsBackward0 (grad * sgn(self): the gradient at 0 is 0).

#include "autograd/ops/backward_ops.h"
#include "autograd/ops/out_variant_check.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct AbsBackward0 : Node {
  std::string name() const override { return "AbsBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    return {mul(grads[0], sgn(self))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};
}  // namespace

Tensor abs(const Tensor& self) {
  check_dispatch(self.dtype() != ScalarType::Bool, "abs_cpu", self.dtype());
  check_out_variant_autograd(self, "abs");
  auto node = autograd::make_node<AbsBackward0>({&self});
  if (node) node->self_ = SavedVariable(self, false);
  Tensor out = unary_out_of_place(kernels::UnaryOp::Abs, self, self.dtype());
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
