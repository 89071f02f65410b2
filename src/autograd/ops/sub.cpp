// sub, sub_ and SubBackward0 (out = self - alpha * other).

#include "autograd/recording.h"

namespace webtorch {

namespace {

struct SubBackward0 : Node {
  std::string name() const override { return "SubBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    if (should_compute_output(0)) out[0] = cast(sum_to(g, self_sizes_), self_dtype_);
    if (should_compute_output(1))
      out[1] = cast(sum_to(alpha_ == 1 ? neg(g) : mul(neg(g), Scalar(alpha_)), other_sizes_), other_dtype_);
    return out;
  }
  static Tensor cast(const Tensor& t, ScalarType d) { return t.dtype() == d ? t : to_dtype(t, d); }

  DimVector self_sizes_, other_sizes_;
  ScalarType self_dtype_, other_dtype_;
  double alpha_ = 1.0;
};

std::shared_ptr<SubBackward0> make(const Tensor& self, const Tensor& other, Scalar alpha) {
  auto node = autograd::make_node<SubBackward0>({&self, &other});
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->other_sizes_.assign(other.sizes());
    node->self_dtype_ = self.dtype();
    node->other_dtype_ = other.dtype();
    node->alpha_ = alpha.to_double();
  }
  return node;
}

void check_sub(const Tensor& self, const Tensor& other, ScalarType type, Scalar alpha) {
  WT_CHECK(self.dtype() != ScalarType::Bool || other.dtype() != ScalarType::Bool,
           "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
           "`logical_xor()` operator instead.");
  WT_CHECK(self.dtype() != ScalarType::Bool && other.dtype() != ScalarType::Bool,
           "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
           "to invert a mask, use the `~` or `logical_not()` operator instead.");
  WT_CHECK(!(alpha.is_floating() && !is_floating(type)),
           "For integral input tensors, argument alpha must not be a floating point number.");
  check_fill_value(alpha, type);  // alpha.to<scalar_t>() overflows as a fill value does
}

}  // namespace

Tensor sub(const Tensor& self, const Tensor& other, Scalar alpha) {
  const ScalarType type = result_type(self, other);
  check_sub(self, other, type, alpha);
  auto node = make(self, other, alpha);
  Tensor out = binary_out_of_place(kernels::BinaryOp::Sub, self, other, alpha, type, type);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor sub(const Tensor& self, Scalar other, Scalar alpha) {
  return sub(self, scalar_to_tensor(other), alpha);
}

const Tensor& sub_(const Tensor& self, const Tensor& other, Scalar alpha) {
  const ScalarType type = result_type(self, other);
  const bool rg = autograd::compute_requires_grad({&self, &other});
  return run_inplace(
      self, rg, [&] { return make(self, other, alpha); },
      [&] {
        check_sub(self, other, type, alpha);
        check_inplace_binary(self, other, type);
      },
      [&] { binary_into(kernels::BinaryOp::Sub, self, other, alpha); });
}

const Tensor& sub_(const Tensor& self, Scalar other, Scalar alpha) {
  return sub_(self, scalar_to_tensor(other), alpha);
}

}  // namespace webtorch
