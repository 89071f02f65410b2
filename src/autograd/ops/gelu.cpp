// gelu (exact: 0.5 x (1 + erf(x / sqrt 2)), PyTorch's approximate='none') and GeluBackward0.
// Only floating inputs: PyTorch's kernel is not implemented for integral types.

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct GeluBackward0 : Node {
  std::string name() const override { return "GeluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {gelu_backward(grads[0], self_.unpack(this))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};
}  // namespace

Tensor gelu(const Tensor& self) {
  check_dispatch(is_floating(self.dtype()), "GeluKernelImpl", self.dtype());
  auto node = autograd::make_node<GeluBackward0>({&self});
  if (node) node->self_ = SavedVariable(self, false);
  Tensor out = unary_out_of_place(kernels::UnaryOp::Gelu, self, self.dtype());
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
