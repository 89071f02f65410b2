// exp and ExpBackward0 (d exp(x) = exp(x) dx, using the saved result).

#include "kernels/unary.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ExpBackward0 : Node {
  std::string name() const override { return "ExpBackward0"; }
  variable_list apply(variable_list&& grads) override { return {mul(grads[0], result_.unpack(this))}; }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};
}  // namespace

Tensor exp(const Tensor& self) {
  auto node = autograd::make_node<ExpBackward0>({&self});
  const Tensor in = is_floating(self.dtype()) ? self : to_dtype(self, ScalarType::Float32);
  Tensor out = empty_elementwise(self.sizes(), ScalarType::Float32, {&self});
  kernels::unary(kernels::UnaryOp::Exp, out, in);
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
