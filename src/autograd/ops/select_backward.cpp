// select_backward(grad, input_sizes, dim, index): grad placed into zeros of the input's shape
// at index along dim (select's backward), and its node SelectBackwardBackward0, whose gradient
// is grad.select(dim, index) (torch 1.13).

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SelectBackwardBackward0 : Node {
  std::string name() const override { return "SelectBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override { return {select(grads[0], dim_, index_)}; }
  int64_t dim_ = 0, index_ = 0;
};
}  // namespace

Tensor select_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t index) {
  auto node = autograd::make_node<SelectBackwardBackward0>({&grad});
  DimVector sizes(input_sizes), strides = shape::contiguous_strides(input_sizes);
  const int64_t offset = index * strides[size_t(dim)];
  sizes.erase(size_t(dim));
  strides.erase(size_t(dim));
  Tensor out = embed_in_zeros(grad, input_sizes, sizes, strides, offset);
  if (node) {
    node->dim_ = dim;
    node->index_ = index;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
