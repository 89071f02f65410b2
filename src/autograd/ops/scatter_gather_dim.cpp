// scatter into zeros and gather along a dim with one index per row (scatter_gather_dim.h), each
// with its torch 1.13 node, so max/min's backward along a dim differentiates to any order:
//   ScatterBackward0 / ScatterAddBackward0: src gets grad.gather(dim, index); the zeros none
//   GatherBackward0: self gets zeros(self.sizes()).scatter_add_(dim, index, grad)

#include "autograd/ops/scatter_gather_dim.h"

#include "kernels/reduce.h"
#include "autograd/inplace.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct IndexNode : Node {
  void release_variables() override { index_.reset_data(); }
  SavedVariable index_;
  int64_t dim_ = 0;
};

struct ScatterIntoZerosBackward : IndexNode {
  explicit ScatterIntoZerosBackward(bool add) : add_(add) {}
  std::string name() const override { return add_ ? "ScatterAddBackward0" : "ScatterBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(2);  // the scattered-into zeros (edge 0) never require grad
    if (should_compute_output(1)) out[1] = gather_dim(grads[0], dim_, index_.unpack(this));
    return out;
  }
  bool add_;
};

struct GatherBackward0 : IndexNode {
  std::string name() const override { return "GatherBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {scatter_into_zeros(grads[0], self_sizes_, dim_, index_.unpack(this), true)};
  }
  DimVector self_sizes_;
};

}  // namespace

Tensor scatter_into_zeros(const Tensor& src, IntArrayRef sizes, int64_t dim, const Tensor& index, bool add) {
  auto node = autograd::make_node<ScatterIntoZerosBackward>({nullptr, &src}, add);
  if (node) {
    node->index_ = SavedVariable(index, false);
    node->dim_ = dim;
  }
  Tensor out = zeros(sizes, src.dtype());
  kernels::scatter_dim(out, dim, index, src);
  // Note [Version of a scattered gradient]: torch writes zeros(...) with zero_ and then
  // scatter_, two in-place ops, so the gradient it returns is at version 2.
  autograd::bump_version(out);
  autograd::bump_version(out);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor gather_dim(const Tensor& self, int64_t dim, const Tensor& index) {
  auto node = autograd::make_node<GatherBackward0>({&self});
  if (node) {
    node->index_ = SavedVariable(index, false);
    node->dim_ = dim;
    node->self_sizes_.assign(self.sizes());
  }
  Tensor out = empty(index.sizes(), self.dtype());
  kernels::gather_dim(out, self, dim, index);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
