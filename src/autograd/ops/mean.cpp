// mean (all, or over dims) with MeanBackward0 / MeanBackward1.

#include "autograd/ops/backward_ops.h"
#include "autograd/ops/out_variant_check.h"
#include "autograd/ops/recorded_reductions.h"
#include "autograd/recording.h"
#include "ops/reduction_utils.h"

namespace webtorch {

namespace {
struct MeanBackward0 : Node {
  std::string name() const override { return "MeanBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {div_by_number(expand(grads[0], self_sizes_), double(shape::numel(self_sizes_)))};
  }
  DimVector self_sizes_;
};
struct MeanBackward1 : Node {
  std::string name() const override { return "MeanBackward1"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor g = unsqueeze_reduced_grad(grads[0], mask_, self_sizes_.size(), keepdim_);
    return {div_by_number(expand(g, self_sizes_), double(count_))};
  }
  DimVector self_sizes_;
  bool mask_[kMaxDims];
  bool keepdim_;
  int64_t count_;
};

void check_mean(const Tensor& self) {
  WT_CHECK(is_floating(self.dtype()),
           "mean(): could not infer output dtype. Input dtype must be either a floating point or "
           "complex dtype. Got: ", torch_name(self.dtype()));
}

// sum / count, computed in place on the fresh sum (a 0-size reduction gives NaN, as in
// PyTorch). Kernels only: the node recorded by mean covers the whole computation.
Tensor finish_mean(const Tensor& total, int64_t count) {
  kernels::binary(kernels::BinaryOp::Div, total, total, scalar_to_tensor(double(count)));
  return total;
}
}  // namespace

Tensor mean(const Tensor& self) {
  check_mean(self);
  check_out_variant_autograd(self, "sum");
  auto node = autograd::make_node<MeanBackward0>({&self});
  bool mask[kMaxDims];
  for (bool& m : mask) m = true;
  Tensor out = finish_mean(reduce_sum(self, mask, false, self.dtype()), self.numel());
  if (node) {
    node->self_sizes_.assign(self.sizes());
    autograd::set_history(out, node);
  }
  return out;
}

Tensor mean(const Tensor& self, IntArrayRef dims, bool keepdim) {
  check_mean(self);
  auto node = autograd::make_node<MeanBackward1>({&self});  // before the dim checks, as sum
  bool mask[kMaxDims];
  if (dims.empty()) {
    for (bool& m : mask) m = true;
  } else {
    dims_to_mask(dims, self.dim(), mask);
  }
  int64_t count = 1;
  for (int64_t d = 0; d < self.dim(); ++d)
    if (mask[d]) count *= self.size(d);
  check_out_variant_autograd(self, "sum");
  Tensor out = finish_mean(reduce_sum(self, mask, keepdim, self.dtype()), count);
  if (node) {
    node->self_sizes_.assign(self.sizes());
    for (int d = 0; d < kMaxDims; ++d) node->mask_[d] = mask[d];
    node->keepdim_ = keepdim;
    node->count_ = count;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
