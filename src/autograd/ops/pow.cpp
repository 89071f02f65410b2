// pow in its three forms, as PyTorch 1.13 records them:
//   tensor ** tensor  PowBackward1 (both inputs; the result is saved for the exponent's grad)
//   tensor ** number  PowBackward0 (the number stays a Scalar: it is not a graph input)
//   number ** tensor  PowBackward2
// Integral tensors use PyTorch's powi (negative tensor exponents give 1, +-1 or 0); a negative
// integral Python-number exponent of an integral tensor is refused.

#include <cmath>

#include "kernels/copy.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"
#include "autograd/ops/out_variant_check.h"

namespace webtorch {

namespace {

// pow_backward: grad * exponent * self^(exponent - 1), or zeros for exponent 0 (torch's
// Scalar::equal: a bool False is not 0, so it takes the formula: NaN where self is 0).
struct PowBackward0 : Node {
  std::string name() const override { return "PowBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    if (zero_exponent_) return {zeros(self.sizes(), self.dtype())};
    return {mul(grads[0], mul(pow(self, Scalar(exponent_ - 1.0)), Scalar(exponent_)))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  double exponent_ = 0.0;
  bool zero_exponent_ = false;
};

// pow_backward_self / pow_backward_exponent.
struct PowBackward1 : Node {
  std::string name() const override { return "PowBackward1"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor self = self_.unpack(this);
    const Tensor exponent = exponent_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) {
      const Tensor full = mul(g, mul(exponent, pow(self, sub(exponent, Scalar(1)))));
      out[0] = where(eq(exponent, Scalar(0.0)), Scalar(0.0), full);
    }
    if (should_compute_output(1)) {
      const Tensor result = result_.unpack(this);
      const Tensor at_zero = mul(eq(self, Scalar(0.0)), ge(exponent, Scalar(0.0)));
      const Tensor self_promoted = cast_to(self, result_type(self, exponent));
      out[1] = mul(g, where(at_zero, Scalar(0.0), mul(result, log(self_promoted))));
    }
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    exponent_.reset_data();
    result_.reset_data();
  }
  SavedVariable self_, exponent_, result_;
};

// pow_backward_exponent with a Python-number base.
struct PowBackward2 : Node {
  std::string name() const override { return "PowBackward2"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor exponent = exponent_.unpack(this);
    const Tensor result = result_.unpack(this);
    const Tensor scaled = mul(result, Scalar(std::log(base_)));
    if (base_ == 0.0) return {mul(g, where(ge(exponent, Scalar(0.0)), Scalar(0.0), scaled))};
    return {mul(g, scaled)};
  }
  void release_variables() override {
    exponent_.reset_data();
    result_.reset_data();
  }
  SavedVariable exponent_, result_;
  double base_ = 0.0;
};

void check_not_bool(ScalarType type) { check_dispatch(type != ScalarType::Bool, "pow", type); }

// Scalar::equal: a bool never equals a number.
bool scalar_equals(Scalar s, double v) { return s.kind() != Scalar::Kind::Bool && s.to_double() == v; }

}  // namespace

Tensor pow(const Tensor& self, const Tensor& exponent) {
  const ScalarType type = result_type(self, exponent);
  // Recording first (Note [The autograd layer checks before the kernel]); a bool result
  // never records (no input can require grad).
  auto node = autograd::make_node<PowBackward1>({&self, &exponent});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->exponent_ = SavedVariable(exponent, false);
  }
  shape::broadcast_shapes(self.sizes(), exponent.sizes());  // its error comes before the dtype's
  check_not_bool(type);
  Tensor out = binary_out_of_place(kernels::BinaryOp::Pow, self, exponent, 1, type, type);
  if (node) {
    autograd::set_history(out, node);
    if (node->should_compute_output(1)) node->result_ = SavedVariable(out, true);
  }
  return out;
}

Tensor pow(const Tensor& self, Scalar exponent) {
  WT_CHECK(!(is_integral(self.dtype(), true) && !exponent.is_floating() && exponent.to_double() < 0),
           "Integers to negative integer powers are not allowed.");
  const Tensor exp_t = scalar_to_tensor(exponent);
  const ScalarType type = result_type(self, exp_t);
  check_not_bool(type);
  auto node = autograd::make_node<PowBackward0>({&self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->exponent_ = exponent.to_double();
    node->zero_exponent_ = scalar_equals(exponent, 0.0);
  }
  Tensor out;
  if (scalar_equals(exponent, 0.0)) {
    out = empty_elementwise(self.sizes(), type, {&self});
    kernels::fill(out, 1);
  } else if (scalar_equals(exponent, 1.0)) {
    out = empty_elementwise(self.sizes(), type, {&self});
    kernels::copy(out, self);
  } else {
    out = binary_out_of_place(kernels::BinaryOp::PowScalar, self, exp_t, 1, type, type);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor pow(Scalar self, const Tensor& exponent) {
  const Tensor base_t = scalar_to_tensor(self);
  const ScalarType type = result_type(base_t, exponent);
  if (!scalar_equals(self, 1.0)) {
    check_not_bool(type);
    check_out_variant_autograd(exponent, "pow");  // 1 ** t is a fill in torch, not pow(out=)
  }
  auto node = autograd::make_node<PowBackward2>({&exponent});
  if (node) {
    node->exponent_ = SavedVariable(exponent, false);
    node->base_ = self.to_double();
  }
  // pow(number, t) is contiguous in PyTorch (its meta function, not TensorIterator, allocates).
  Tensor out = full(exponent.sizes(), 1, type);
  if (!scalar_equals(self, 1.0))
    kernels::binary(kernels::BinaryOp::Pow, out, cast_to(base_t, type), cast_to(exponent, type));
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
