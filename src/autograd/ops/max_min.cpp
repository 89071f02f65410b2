// max / min over all elements (MaxBackward1 / MinBackward1: the gradient is shared evenly by
// every element equal to the result, NaN matching NaN) and over one dim, giving values and
// int32 indices of the first extreme (MaxBackward0 / MinBackward0: the gradient goes to the
// index). NaN counts as the extreme, as in PyTorch.

#include <cmath>

#include "kernels/reduce.h"
#include "autograd/ops/ops.h"
#include "autograd/ops/scatter_gather_dim.h"
#include "autograd/recording.h"
#include "ops/reduction_utils.h"

namespace webtorch {

namespace {

// evenly_distribute_backward.
struct MaxMinAllBackward : Node {
  explicit MaxMinAllBackward(bool is_max) : is_max_(is_max) {}
  std::string name() const override { return is_max_ ? "MaxBackward1" : "MinBackward1"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    const Tensor result = result_.unpack(this);
    const Tensor mask = std::isnan(item(result))
                            ? unary_out_of_place(kernels::UnaryOp::LogicalNot, eq(self, self), ScalarType::Bool)
                            : eq(self, result);
    // grad.new_zeros(self.sizes()).masked_fill_(mask, grad / mask.sum()), as torch writes it.
    const Tensor out = zeros(self.sizes(), grads[0].dtype());
    masked_fill_(out, mask, div(grads[0], sum(mask)));
    return {out};
  }
  void release_variables() override {
    self_.reset_data();
    result_.reset_data();
  }
  SavedVariable self_, result_;
  bool is_max_;
};

// value_selecting_reduction_backward.
struct MaxMinDimBackward : Node {
  explicit MaxMinDimBackward(bool is_max) : is_max_(is_max) {}
  std::string name() const override { return is_max_ ? "MaxBackward0" : "MinBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    if (self_sizes_.empty()) return {g};
    // value_selecting_reduction_backward: zeros.scatter_(dim, indices, grad), both unsqueezed
    // along dim unless keepdim (UnsqueezeBackward0 under createGraph, as in torch).
    const Tensor indices = indices_.unpack(this);
    const Tensor out = keepdim_ ? scatter_into_zeros(g, self_sizes_, dim_, indices, false)
                                : scatter_into_zeros(unsqueeze(g, dim_), self_sizes_, dim_, unsqueeze(indices, dim_), false);
    return {out};
  }
  void release_variables() override { indices_.reset_data(); }
  SavedVariable indices_;
  DimVector self_sizes_;
  int64_t dim_ = 0;
  bool keepdim_ = false;
  bool is_max_;
};

Tensor max_min_all(const Tensor& self, bool is_max) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<MaxMinAllBackward>({&self}, is_max);
  if (node) node->self_ = SavedVariable(self, false);
  WT_CHECK(self.numel() > 0, is_max ? "max" : "min",
           "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
           "reduction dim with the 'dim' argument.");
  Tensor out = empty({}, self.dtype());
  kernels::max_min_all(out, self, is_max);
  if (node) {
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

std::tuple<Tensor, Tensor> max_min_dim(const Tensor& self, int64_t dim, bool keepdim, bool is_max) {
  auto node = autograd::make_node<MaxMinDimBackward>({&self}, is_max);  // before the checks, as above
  const int64_t d = shape::wrap_dim(dim, self.dim());
  WT_CHECK(self.dim() == 0 || self.size(d) != 0, is_max ? "max" : "min",
           "(): Expected reduction dim ", d, " to have non-zero size.");
  Tensor values, indices;
  if (self.dim() == 0) {
    values = contiguous_clone(self);
    indices = zeros({}, ScalarType::Int32);
  } else {
    DimVector keep(self.sizes());
    keep[size_t(d)] = 1;
    values = empty(keep, self.dtype());
    indices = empty(keep, ScalarType::Int32);
    kernels::max_min_dim(values, indices, self, d, is_max);
    if (!keepdim) {
      DimVector shape(self.sizes());
      shape.erase(size_t(d));
      const DimVector strides = shape::contiguous_strides(shape);
      values = alias_with_geometry(values, shape, strides, 0);
      indices = alias_with_geometry(indices, shape, strides, 0);
    }
  }
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->dim_ = d;
    node->keepdim_ = keepdim;
    autograd::set_history(values, node);
    node->indices_ = SavedVariable(indices, true);
  }
  return {values, indices};
}

}  // namespace

Tensor max(const Tensor& self) { return max_min_all(self, true); }
Tensor min(const Tensor& self) { return max_min_all(self, false); }
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim) {
  return max_min_dim(self, dim, keepdim, true);
}
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim) {
  return max_min_dim(self, dim, keepdim, false);
}

}  // namespace webtorch
