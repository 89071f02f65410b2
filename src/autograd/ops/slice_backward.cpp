// slice_backward(grad, input_sizes, dim, start, end): grad placed into zeros of the input's
// shape (narrow's and slice's backward), and its node SliceBackwardBackward0, whose gradient
// is the same slice of the incoming one (torch 1.13: grad.slice(dim, start, end, step)).

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SliceBackwardBackward0 : Node {
  std::string name() const override { return "SliceBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override { return {slice(grads[0], dim_, start_, end_, step_)}; }
  int64_t dim_ = 0, start_ = 0, end_ = 0, step_ = 1;
};
}  // namespace

Tensor slice_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t start, int64_t end,
                      int64_t step) {
  auto node = autograd::make_node<SliceBackwardBackward0>({&grad});
  DimVector sizes(input_sizes);
  sizes[size_t(dim)] = (end - start + step - 1) / step;
  DimVector strides = shape::contiguous_strides(input_sizes);
  const int64_t offset = start * strides[size_t(dim)];
  strides[size_t(dim)] *= step;
  Tensor out = embed_in_zeros(grad, input_sizes, sizes, strides, offset);
  if (node) {
    node->dim_ = dim;
    node->start_ = start;
    node->end_ = end;
    node->step_ = step;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
