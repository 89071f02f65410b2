// add, add_ and AddBackward0 (out = self + alpha * other).

#include "autograd/recording.h"

namespace webtorch {

namespace {

struct AddBackward0 : Node {
  std::string name() const override { return "AddBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    if (should_compute_output(0)) out[0] = cast(sum_to(g, self_sizes_), self_dtype_);
    if (should_compute_output(1)) {
      const Tensor scaled = alpha_ == 1.0 ? g : mul(g, Scalar(alpha_));
      out[1] = cast(sum_to(scaled, other_sizes_), other_dtype_);
    }
    return out;
  }
  static Tensor cast(const Tensor& t, ScalarType d) { return t.dtype() == d ? t : to_dtype(t, d); }

  DimVector self_sizes_, other_sizes_;
  ScalarType self_dtype_, other_dtype_;
  double alpha_ = 1.0;
};

std::shared_ptr<AddBackward0> make(const Tensor& self, const Tensor& other, Scalar alpha) {
  auto node = autograd::make_node<AddBackward0>({&self, &other});
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->other_sizes_.assign(other.sizes());
    node->self_dtype_ = self.dtype();
    node->other_dtype_ = other.dtype();
    node->alpha_ = alpha.to_double();
  }
  return node;
}

void check_alpha(ScalarType type, Scalar alpha) {
  WT_CHECK(!(alpha.is_floating() && !is_floating(type)),
           "For integral input tensors, argument alpha must not be a floating point number.");
  WT_CHECK(!(alpha.kind() != Scalar::Kind::Bool && type == ScalarType::Bool && alpha.to_double() != 1),
           "Boolean alpha only supported for Boolean results.");
  check_fill_value(alpha, type);  // alpha.to<scalar_t>() overflows as a fill value does
}

}  // namespace

Tensor add(const Tensor& self, const Tensor& other, Scalar alpha) {
  const ScalarType type = result_type(self, other);
  check_alpha(type, alpha);
  auto node = make(self, other, alpha);
  Tensor out = binary_out_of_place(kernels::BinaryOp::Add, self, other, alpha, type, type);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor add(const Tensor& self, Scalar other, Scalar alpha) {
  return add(self, scalar_to_tensor(other), alpha);
}

const Tensor& add_(const Tensor& self, const Tensor& other, Scalar alpha) {
  const bool rg = autograd::compute_requires_grad({&self, &other});
  return run_inplace(
      self, rg, [&] { return make(self, other, alpha); },
      [&] {
        check_inplace_binary(self, other, result_type(self, other));
        check_alpha(self.dtype(), alpha);
      },
      [&] { binary_into(kernels::BinaryOp::Add, self, other, alpha); });
}

const Tensor& add_(const Tensor& self, Scalar other, Scalar alpha) {
  return add_(self, scalar_to_tensor(other), alpha);
}

}  // namespace webtorch
