// gelu (exact: 0.5 x (1 + erf(x / sqrt 2)), PyTorch's approximate='none') and GeluBackward0.
// Only floating inputs: PyTorch's kernel is not implemented for integral types.

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct GeluBackward0 : Node {
  std::string name() const override { return "GeluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    // TODO(higher-order): a gelu_backward op with its own node (PyTorch: GeluBackwardBackward0);
    // the kernel call below does not record.
    Tensor out = empty(shape::broadcast_shapes(grads[0].sizes(), self.sizes()), self.dtype());
    kernels::binary(kernels::BinaryOp::GeluBackward, out, cast_to(grads[0], self.dtype()), self);
    return {out};
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
