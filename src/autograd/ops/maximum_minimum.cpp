// maximum / minimum (also torch.max(input, other) / torch.min(input, other)) and their nodes
// MaximumBackward0 / MinimumBackward0. Broadcasting and type promotion as mul; bool works
// (torch.maximum of two bool tensors is their "or"). NaN propagates: maximum(NaN, 1) is NaN.
//
// Note [Gradient of maximum at ties]
// torch 1.13's derivatives.yaml:
//   maximum  self:  at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0)
//            other: at::where(self == other, grad / 2, grad).masked_fill_(self > other, 0)
//   minimum  the same with the masks swapped (self > other for self, self < other for other).
// So ties split the gradient 0.5 / 0.5, and where either side is NaN (no comparison holds)
// both inputs get the whole gradient.

#include "autograd/ops/ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

template <bool kMax>
struct MaxMinBackward : Node {
  std::string name() const override { return kMax ? "MaximumBackward0" : "MinimumBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor self = self_.unpack(this);
    const Tensor other = other_.unpack(this);
    // where(self == other, grad / 2, grad).masked_fill_(loses, 0), as torch writes it.
    const auto formula = [&](const Tensor& loses) {
      const Tensor split = where(eq(self, other), div(g, Scalar(2)), g);
      masked_fill_(split, loses, Scalar(0.0));
      return split;
    };
    variable_list out(2);
    // self loses where it is the smaller (maximum) or the larger (minimum) side; other the reverse.
    if (should_compute_output(0))
      out[0] = cast_to(sum_to(formula(kMax ? lt(self, other) : gt(self, other)), self_sizes_), self.dtype());
    if (should_compute_output(1))
      out[1] = cast_to(sum_to(formula(kMax ? gt(self, other) : lt(self, other)), other_sizes_), other.dtype());
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    other_.reset_data();
  }
  SavedVariable self_, other_;
  DimVector self_sizes_, other_sizes_;
};

template <bool kMax>
Tensor maximum_minimum(const Tensor& self, const Tensor& other) {
  const ScalarType type = result_type(self, other);
  // Recording first (Note [The autograd layer checks before the kernel]), then the shapes.
  auto node = autograd::make_node<MaxMinBackward<kMax>>({&self, &other});
  if (node) {
    // Both gradients compare self with other, so both are saved whichever is needed.
    node->self_ = SavedVariable(self, false);
    node->other_ = SavedVariable(other, false);
    node->self_sizes_.assign(self.sizes());
    node->other_sizes_.assign(other.sizes());
  }
  shape::broadcast_shapes(self.sizes(), other.sizes());
  Tensor out = binary_out_of_place(kMax ? kernels::BinaryOp::Maximum : kernels::BinaryOp::Minimum,
                                   self, other, 1, type, type);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace

Tensor maximum(const Tensor& self, const Tensor& other) { return maximum_minimum<true>(self, other); }
Tensor minimum(const Tensor& self, const Tensor& other) { return maximum_minimum<false>(self, other); }

}  // namespace webtorch
