// div, div_ and DivBackward0: true division (integers divide as float32).

#include "autograd/recording.h"

namespace webtorch {

namespace {

struct DivBackward0 : Node {
  std::string name() const override { return "DivBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const auto [self, other] = SavedVariable::unpack_in_order(this, self_, should_compute_output(1), other_, true);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = cast(sum_to(div(g, other), self_sizes_), self_dtype_);
    if (should_compute_output(1)) {
      // d(a/b)/db = -a / b^2, evaluated as torch does, -g * ((a / b) / b): where a / b / b
      // overflows, a zero g gives NaN, not 0.
      out[1] = cast(sum_to(mul(neg(g), div(div(self, other), other)), other_sizes_), other_dtype_);
    }
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    other_.reset_data();
  }
  static Tensor cast(const Tensor& t, ScalarType d) { return t.dtype() == d ? t : to_dtype(t, d); }

  SavedVariable self_, other_;
  DimVector self_sizes_, other_sizes_;
  ScalarType self_dtype_, other_dtype_;
};

ScalarType div_type(const Tensor& self, const Tensor& other) {
  const ScalarType t = result_type(self, other);
  return is_floating(t) ? t : ScalarType::Float32;
}

std::shared_ptr<DivBackward0> make(const Tensor& self, const Tensor& other, bool self_is_inplace) {
  auto node = autograd::make_node<DivBackward0>({&self, &other});
  if (!node) return node;
  if (node->should_compute_output(1))
    node->self_ = SavedVariable(self_is_inplace ? contiguous_clone(self) : self, false);
  // Note [Saving an in-place op's own input]
  node->other_ = self_is_inplace ? SavedVariable::input_of_inplace(other, self) : SavedVariable(other, false);
  node->self_sizes_.assign(self.sizes());
  node->other_sizes_.assign(other.sizes());
  node->self_dtype_ = self.dtype();
  node->other_dtype_ = other.dtype();
  return node;
}

}  // namespace

Tensor div(const Tensor& self, const Tensor& other) {
  const ScalarType type = div_type(self, other);
  auto node = make(self, other, false);
  Tensor out = binary_out_of_place(kernels::BinaryOp::Div, self, other, 1, type, type);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor div(const Tensor& self, Scalar other) { return div(self, scalar_to_tensor(other)); }

const Tensor& div_(const Tensor& self, const Tensor& other) {
  const bool rg = autograd::compute_requires_grad({&self, &other});
  return run_inplace(
      self, rg, [&] { return make(self, other, true); },
      [&] { check_inplace_binary(self, other, div_type(self, other)); },
      [&] { binary_into(kernels::BinaryOp::Div, self, other, 1); });
}

const Tensor& div_(const Tensor& self, Scalar other) { return div_(self, scalar_to_tensor(other)); }

}  // namespace webtorch
