// relu, relu_ and ReluBackward0 (the gradient passes unless the result is <= 0, so a NaN
// result passes it, as torch's threshold_backward does).

#include "kernels/unary.h"
#include "ops/elementwise_layout.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ReluBackward0 : Node {
  std::string name() const override { return "ReluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {threshold_backward(grads[0], result_.unpack(this), 0.0)};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
};

void check_relu(const Tensor& self) {
  WT_CHECK(self.dtype() != ScalarType::Bool, "Boolean inputs not supported for relu");
}
}  // namespace

Tensor relu(const Tensor& self) {
  check_relu(self);
  auto node = autograd::make_node<ReluBackward0>({&self});
  Tensor out = empty_elementwise(self.sizes(), self.dtype(), {&self});
  kernels::unary(kernels::UnaryOp::Relu, out, self);
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

const Tensor& relu_(const Tensor& self) {
  const bool rg = autograd::compute_requires_grad({&self});
  std::shared_ptr<ReluBackward0> node;
  run_inplace(
      self, rg,
      [&] {
        node = autograd::make_node<ReluBackward0>({&self});
        return node;
      },
      [&] {
        check_relu(self);
        check_no_internal_overlap(self);
      },
      [&] { kernels::unary(kernels::UnaryOp::Relu, self, self); });
  // The result is self's new value, saved once self carries the node's history; on a view,
  // PyTorch's is_inplace_on_view (Note [Which node the version error names]).
  if (node) node->result_ = SavedVariable(self, true, autograd::is_view(self));
  return self;
}

}  // namespace webtorch
