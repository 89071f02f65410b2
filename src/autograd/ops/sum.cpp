// sum (all, or over dims) with SumBackward0 / SumBackward1: the gradient is expanded back.

#include "kernels/reduce.h"
#include "autograd/ops/recorded_reductions.h"
#include "autograd/recording.h"
#include "ops/reduction_utils.h"

namespace webtorch {

namespace {
struct SumBackward0 : Node {
  std::string name() const override { return "SumBackward0"; }
  variable_list apply(variable_list&& grads) override { return {expand(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
struct SumBackward1 : Node {
  std::string name() const override { return "SumBackward1"; }
  variable_list apply(variable_list&& grads) override {
    return {expand(unsqueeze_reduced_grad(grads[0], mask_, self_sizes_.size(), keepdim_), self_sizes_)};
  }
  DimVector self_sizes_;
  bool mask_[kMaxDims];
  bool keepdim_;
};

// PyTorch sums bool and int tensors as integers (int64 there, int32 here).
ScalarType sum_type(ScalarType t) { return t == ScalarType::Bool ? ScalarType::Int32 : t; }
}  // namespace

Tensor sum(const Tensor& self) {
  auto node = autograd::make_node<SumBackward0>({&self});
  bool mask[kMaxDims];
  for (bool& m : mask) m = true;
  Tensor out = reduce_sum(self, mask, false, sum_type(self.dtype()));
  if (node) {
    node->self_sizes_.assign(self.sizes());
    autograd::set_history(out, node);
  }
  return out;
}

Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim) {
  auto node = autograd::make_node<SumBackward1>({&self});  // before the dim checks (Note [The autograd layer checks before the kernel])
  bool mask[kMaxDims];
  if (dims.empty()) {
    for (bool& m : mask) m = true;  // sum(dim=[]) reduces everything, as in PyTorch 1.13
  } else {
    dims_to_mask(dims, self.dim(), mask);
  }
  Tensor out = reduce_sum(self, mask, keepdim, sum_type(self.dtype()));
  if (node) {
    node->self_sizes_.assign(self.sizes());
    for (int d = 0; d < kMaxDims; ++d) node->mask_[d] = mask[d];
    node->keepdim_ = keepdim;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
