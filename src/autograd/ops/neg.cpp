// neg and NegBackward0.

#include "kernels/unary.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct NegBackward0 : Node {
  std::string name() const override { return "NegBackward0"; }
  variable_list apply(variable_list&& grads) override { return {neg(grads[0])}; }
};
}  // namespace

Tensor neg(const Tensor& self) {
  WT_CHECK(self.dtype() != ScalarType::Bool,
           "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
           "invert a mask, use the `~` or `logical_not()` operator instead.");
  auto node = autograd::make_node<NegBackward0>({&self});
  Tensor out = empty_elementwise(self.sizes(), self.dtype(), {&self});
  kernels::unary(kernels::UnaryOp::Neg, out, self);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
