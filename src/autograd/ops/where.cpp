// where(condition, self, other) and WhereBackward0: the gradient goes to self where the
// condition holds and to other elsewhere. A Python number for self or other is a wrapped
// number (it ranks lowest in type promotion and is a normal tensor for the autograd layer,
// Note [Autograd runs only for normal tensors]); the condition is saved for backward.

#include "kernels/copy.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct WhereBackward0 : Node {
  std::string name() const override { return "WhereBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor condition = condition_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = where(condition, g, Scalar(0.0));
    if (should_compute_output(1)) out[1] = where(condition, Scalar(0.0), g);
    return out;
  }
  void release_variables() override { condition_.reset_data(); }
  SavedVariable condition_;
};
}  // namespace

Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other) {
  const ScalarType type = result_type(self, other);
  // The condition is an argument too: a normal one routes the op through autograd, which
  // records before the checks below (Note [The autograd layer checks before the kernel]).
  std::shared_ptr<WhereBackward0> node;
  if (autograd::autograd_layer_runs({&condition, &self, &other}) &&
      autograd::any_requires_grad({&self, &other})) {
    node = make_node_ptr<WhereBackward0>();
    node->set_next_edges(autograd::collect_next_edges({&self, &other}));
    node->condition_ = SavedVariable(condition, false);
  }
  WT_CHECK(condition.dtype() == ScalarType::Bool,
           "where expected condition to be a boolean tensor, but got a tensor with dtype ",
           torch_name(condition.dtype()));
  DimVector shape = shape::broadcast_shapes(condition.sizes(), self.sizes());
  shape = shape::broadcast_shapes(shape, other.sizes());
  // TensorIterator's operands: the condition as is, self and other converted by .to().
  Tensor out = empty_strided(shape,
                             elementwise_strides(shape, {{&condition, false},
                                                         {&self, self.dtype() != type},
                                                         {&other, other.dtype() != type}}),
                             type);
  kernels::where(out, condition, cast_to(self, type), cast_to(other, type));
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor where(const Tensor& condition, Scalar self, const Tensor& other) {
  return where(condition, scalar_to_tensor(self), other);
}
Tensor where(const Tensor& condition, const Tensor& self, Scalar other) {
  return where(condition, self, scalar_to_tensor(other));
}
Tensor where(const Tensor& condition, Scalar self, Scalar other) {
  return where(condition, scalar_to_tensor(self), scalar_to_tensor(other));
}

}  // namespace webtorch
