// zero_ (ZeroBackward0) and fill_ (FillBackward2): the gradient w.r.t. the old value is zero.

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

const Tensor& fill_(const Tensor& self, Scalar value) {
  return fill_impl<FillBackward2>(self, value, [&] {
    WT_CHECK(!(value.is_floating() && !is_floating(self.dtype()) && value.to_double() != double(int64_t(value.to_double()))) ||
                 self.dtype() != ScalarType::Bool,
             "value cannot be converted to type bool without overflow");
  });
}

}  // namespace webtorch
