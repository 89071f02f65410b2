// masked_fill(self, mask, value) and masked_fill_ (masked_fill_formula.h) with torch 1.13's
// derivatives.yaml:
//   MaskedFillBackward0 (value a number):  self: grad.masked_fill(mask, 0)
//   MaskedFillBackward1 (a 0-dim tensor):  self: the same; value: the sum of grad where mask
// (torch sums grad.masked_select(mask); the sum of where(mask, grad, 0) is the same number,
// recorded as WhereBackward0 instead of MaskedSelectBackward0 at the third order; JavaScript
// sees only the gradFn of a result, SumBackward0 in both).

#include "autograd/ops/masked_fill_formula.h"

#include "core/dispatch_below_autograd.h"
#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct MaskedFillBackward : Node {
  explicit MaskedFillBackward(bool tensor_value) : tensor_value_(tensor_value) {}
  std::string name() const override { return tensor_value_ ? "MaskedFillBackward1" : "MaskedFillBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor mask = mask_.unpack(this);
    variable_list out(tensor_value_ ? 2 : 1);
    if (should_compute_output(0)) out[0] = masked_fill_formula(g, mask, Scalar(0.0));
    if (tensor_value_ && should_compute_output(1)) out[1] = sum(where(mask, g, Scalar(0.0)));
    return out;
  }
  void release_variables() override { mask_.reset_data(); }
  SavedVariable mask_;
  bool tensor_value_;
};

// where(mask, value, self), computed without recording.
template <class Value>
Tensor filled(const Tensor& self, const Tensor& mask, const Value& value) {
  AutoDispatchBelowADInplaceOrView below;
  return where(mask, value, self);
}

template <class Value>
void fill_in_place(const Tensor& self, const Tensor& mask, const Value& value, const Tensor* value_tensor) {
  const bool rg = value_tensor ? autograd::compute_requires_grad({&self, value_tensor})
                               : autograd::compute_requires_grad({&self});
  run_inplace(
      self, rg,
      [&] {
        auto node = value_tensor ? autograd::make_node<MaskedFillBackward>({&self, value_tensor}, true)
                                 : autograd::make_node<MaskedFillBackward>({&self}, false);
        node->mask_ = SavedVariable(mask, false);
        return node;
      },
      [&] { kernels::copy(self, filled(self, mask, value)); });
}

}  // namespace

Tensor masked_fill_formula(const Tensor& self, const Tensor& mask, Scalar value) {
  auto node = autograd::make_node<MaskedFillBackward>({&self}, false);
  if (node) node->mask_ = SavedVariable(mask, false);
  Tensor out = filled(self, mask, value);
  if (node) autograd::set_history(out, node);
  return out;
}

void masked_fill_formula_(const Tensor& self, const Tensor& mask, Scalar value) {
  fill_in_place(self, mask, value, nullptr);
}

void masked_fill_formula_(const Tensor& self, const Tensor& mask, const Tensor& value) {
  fill_in_place(self, mask, value, &value);
}

}  // namespace webtorch
