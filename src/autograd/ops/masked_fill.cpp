// masked_fill with a number (MaskedFillBackward0) or a 0-d tensor (MaskedFillBackward1), and
// masked_fill_. torch 1.13's formulas: self gets grad.masked_fill(mask, 0); a value tensor
// gets the sum of grad where the mask holds (masked_fill_backward). The out-of-place form
// has the broadcast shape of self and mask (expand_outplace), the in-place one self's.

#include <algorithm>

#include "kernels/binary.h"
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
    if (should_compute_output(0)) out[0] = masked_fill(g, mask, Scalar(0.0));
    if (tensor_value_ && should_compute_output(1)) out[1] = sum(where(mask, g, Scalar(0.0)));
    return out;
  }
  void release_variables() override { mask_.reset_data(); }
  bool tensor_value_;
  SavedVariable mask_;
};

// value: a 0-d tensor; tensor_value: it was given as a tensor (a differentiable input).
struct MaskedFillArgs {
  const Tensor& self;
  const Tensor& mask;
  const Tensor& value;
  bool tensor_value;

  std::shared_ptr<MaskedFillBackward> make_node() const {
    auto node = tensor_value ? autograd::make_node<MaskedFillBackward>({&self, &value}, true)
                             : autograd::make_node<MaskedFillBackward>({&self}, false);
    if (node) node->mask_ = SavedVariable(mask, false);
    return node;
  }
  bool requires_grad() const {
    return tensor_value ? autograd::compute_requires_grad({&self, &value}) : autograd::compute_requires_grad({&self});
  }
  void check() const {
    WT_CHECK(mask.dtype() == ScalarType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
             torch_name(mask.dtype()));
    if (tensor_value)
      WT_CHECK(value.dim() == 0, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
               value.dim(), " dimension(s).");
  }
  // The value as self's dtype (fill's conversion: 2.5 into int32 is 2).
  Tensor fill_value() const {
    Tensor v = empty({}, self.dtype());
    kernels::copy(v, value);
    return v;
  }
};

Tensor masked_fill_out_of_place(const MaskedFillArgs& a) {
  auto node = a.make_node();
  a.check();
  // expand_outplace(mask, self): the mask is the first operand of the broadcast.
  const DimVector shape = shape::broadcast_shapes(a.mask.sizes(), a.self.sizes());
  Tensor out = empty(shape, a.self.dtype());
  kernels::where(out, a.mask, a.fill_value(), a.self);
  if (node) autograd::set_history(out, node);
  return out;
}

const Tensor& masked_fill_in_place(const MaskedFillArgs& a) {
  return run_inplace(
      a.self, a.requires_grad(), [&] { return a.make_node(); },
      [&] {
        a.check();
        const DimVector shape = shape::broadcast_shapes(a.mask.sizes(), a.self.sizes());
        WT_CHECK(std::equal(shape.begin(), shape.end(), a.self.sizes().begin(), a.self.sizes().end()),
                 "output with shape ", a.self.sizes(), " doesn't match the broadcast shape ", shape);
      },
      // Elementwise with self as both output and input at the same positions.
      [&] { kernels::where(a.self, a.mask, a.fill_value(), a.self); });
}
}  // namespace

Tensor masked_fill(const Tensor& self, const Tensor& mask, Scalar value) {
  const Tensor v = scalar_to_tensor(value);
  return masked_fill_out_of_place({self, mask, v, false});
}
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  return masked_fill_out_of_place({self, mask, value, true});
}
const Tensor& masked_fill_(const Tensor& self, const Tensor& mask, Scalar value) {
  const Tensor v = scalar_to_tensor(value);
  return masked_fill_in_place({self, mask, v, false});
}
const Tensor& masked_fill_(const Tensor& self, const Tensor& mask, const Tensor& value) {
  return masked_fill_in_place({self, mask, value, true});
}

}  // namespace webtorch
