// zero_ (ZeroBackward0), fill_ with a number (FillBackward2) and with a 0-dim tensor
// (FillBackward3): the gradient w.r.t. the old value is zero; a value tensor gets the sum.

#include "core/convert.h"
#include "kernels/copy.h"
#include "autograd/recording.h"

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

struct FillBackward3 : Node {
  std::string name() const override { return "FillBackward3"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    if (should_compute_output(0)) out[0] = zeros_like(g);
    if (should_compute_output(1)) out[1] = cast_to(sum(g), value_dtype_);
    return out;
  }
  ScalarType value_dtype_ = ScalarType::Float32;
};

template <class NodeT, class Check>
const Tensor& fill_impl(const Tensor& self, Scalar value, Check&& check) {
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg, [&] { return autograd::make_node<NodeT>({&self}); },
      // No overlap check: PyTorch's fill kernels write the same value to every element, so
      // an expanded self is fine (its TensorIterator is built with check_mem_overlap off).
      [&] { check(); },
      [&] { kernels::fill(self, value); });
}
}  // namespace

const Tensor& zero_(const Tensor& self) { return fill_impl<ZeroBackward0>(self, 0.0, [] {}); }

const Tensor& fill_(const Tensor& self, Scalar value) {
  return fill_impl<FillBackward2>(self, value, [&] { check_fill_value(value, self.dtype()); });
}

// torch fills with value.item(). An int32/bool self stays non-differentiable (torch 1.13
// would mark a bool tensor as requiring grad; tests/fixtures/README.md).
const Tensor& fill_(const Tensor& self, const Tensor& value) {
  const bool rg = is_floating(self.dtype()) && autograd::compute_requires_grad({&self, &value});
  auto scalar = [&] {
    const double v = item(value);
    return value.dtype() == ScalarType::Float32 ? Scalar(v)
           : value.dtype() == ScalarType::Bool  ? Scalar(v != 0)
                                                : Scalar(int64_t(v));
  };
  return run_inplace(
      self, rg,
      [&] {
        auto node = autograd::make_node<FillBackward3>({&self, &value});
        node->value_dtype_ = value.dtype();
        return node;
      },
      [&] {
        WT_CHECK(value.dim() == 0, "fill_ only supports 0-dimension value tensor but got tensor with ",
                 value.dim(), " dimensions.");
        check_fill_value(scalar(), self.dtype());
      },
      [&] { kernels::fill(self, scalar()); });
}

}  // namespace webtorch
