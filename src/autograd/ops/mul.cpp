// mul, mul_ and MulBackward0: the model for every op file.
//   1. check arguments (nothing has changed yet);
//   2. if the op records, make the node and save what backward needs (this can still fail,
//      e.g. for inference tensors);
//   3. run the kernel; 4. attach the node to the output (set_history / rebase_history).

#include "autograd/recording.h"

namespace webtorch {

namespace {

struct MulBackward0 : Node {
  std::string name() const override { return "MulBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    const auto [self, other] =
        SavedVariable::unpack_in_order(this, self_, should_compute_output(1), other_, should_compute_output(0));
    if (should_compute_output(0)) out[0] = to_dtype_if(sum_to(mul(g, other), self_sizes_), self_dtype_);
    if (should_compute_output(1)) out[1] = to_dtype_if(sum_to(mul(g, self), other_sizes_), other_dtype_);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    other_.reset_data();
  }
  static Tensor to_dtype_if(const Tensor& t, ScalarType d) { return t.dtype() == d ? t : to_dtype(t, d); }

  SavedVariable self_, other_;
  DimVector self_sizes_, other_sizes_;
  ScalarType self_dtype_, other_dtype_;
};

std::shared_ptr<MulBackward0> record(const Tensor& self, const Tensor& other) {
  auto node = autograd::make_node<MulBackward0>({&self, &other});
  if (!node) return node;
  // Each input's gradient needs the other input.
  if (node->should_compute_output(1)) node->self_ = SavedVariable(self, false);
  if (node->should_compute_output(0)) node->other_ = SavedVariable(other, false);
  node->self_sizes_.assign(self.sizes());
  node->other_sizes_.assign(other.sizes());
  node->self_dtype_ = self.dtype();
  node->other_dtype_ = other.dtype();
  return node;
}

}  // namespace

Tensor mul(const Tensor& self, const Tensor& other) {
  const ScalarType type = result_type(self, other);
  auto node = record(self, other);
  Tensor out = binary_out_of_place(kernels::BinaryOp::Mul, self, other, 1, type, type);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor mul(const Tensor& self, Scalar other) { return mul(self, scalar_to_tensor(other)); }

const Tensor& mul_(const Tensor& self, const Tensor& other) {
  const bool rg = autograd::compute_requires_grad({&self, &other});
  return run_inplace(
      self, rg,
      [&] {
        // self's old value is needed for other's gradient: save a copy taken before the write.
        // As PyTorch's original_self it is a recorded clone when self has history, so a
        // gradient taken with createGraph still depends on it (Note [CopySlices under createGraph]).
        auto node = autograd::make_node<MulBackward0>({&self, &other});
        if (node->should_compute_output(1))
          node->self_ = SavedVariable(self.requires_grad() ? clone(self) : contiguous_clone(self), false);
        if (node->should_compute_output(0))  // Note [Saving an in-place op's own input]
          node->other_ = SavedVariable::input_of_inplace(other, self);
        node->self_sizes_.assign(self.sizes());
        node->other_sizes_.assign(other.sizes());
        node->self_dtype_ = self.dtype();
        node->other_dtype_ = other.dtype();
        return node;
      },
      [&] { check_inplace_binary(self, other, result_type(self, other)); },
      [&] { binary_into(kernels::BinaryOp::Mul, self, other, 1); });
}

const Tensor& mul_(const Tensor& self, Scalar other) { return mul_(self, scalar_to_tensor(other)); }

}  // namespace webtorch
