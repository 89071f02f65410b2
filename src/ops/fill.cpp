// zero_ (ZeroBackward0) and fill_ (FillBackward2): the gradient w.r.t. the old value is zero.

#include "core/convert.h"
#include "kernels/copy.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {
struct ZeroBackward0 : Node {
  std::string name() const override { return "ZeroBackward0"; }
  variable_list apply(variable_list&& grads) override { return {zeros_like(grads[0])}; }
};
struct FillBackward2 : Node {
  std::string name() const override { return "FillBackward2"; }
  variable_list apply(variable_list&& grads) override { return {zeros_like(grads[0])}; }
};

template <class NodeT, class Check>
const Tensor& fill_impl(const Tensor& self, Scalar value, Check&& check) {
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg, [&] { return autograd::make_node<NodeT>({&self}); },
      [&] {
        check();
        check_no_internal_overlap(self);
      },
      [&] { kernels::fill(self, value); });
}
}  // namespace

const Tensor& zero_(const Tensor& self) { return fill_impl<ZeroBackward0>(self, 0.0, [] {}); }

// c10's checked_convert, as fill_ runs it: torch 1.13 fills a bool tensor with any value
// (nonzero is True, NaN included) and refuses only what overflows int32 or float32
// (Note [Defined conversions]).
void check_fill_value(Scalar value, ScalarType dtype) {
  WT_CHECK(!overflows(value.to_double(), dtype), "value cannot be converted to type ",
           dtype == ScalarType::Int32 ? "int" : "float", " without overflow");
}

const Tensor& fill_(const Tensor& self, Scalar value) {
  return fill_impl<FillBackward2>(self, value, [&] { check_fill_value(value, self.dtype()); });
}

}  // namespace webtorch
