// sum_to, the reduction every broadcasting op's backward formula ends with.

#include "autograd/ops/recorded_reductions.h"
#include "autograd/recording.h"
#include "autograd/view_tracking.h"
#include "kernels/reduce.h"

namespace webtorch {

Tensor sum_to(const Tensor& grad, IntArrayRef shape) {
  if (grad.sizes().equals(shape)) return grad;
  if (records_gradient(grad)) return sum_to_recorded(grad, shape);  // Note in recorded_reductions.h
  const int64_t lead = grad.dim() - int64_t(shape.size());
  bool mask[kMaxDims] = {false};
  DimVector keep_shape(grad.sizes());
  for (int64_t d = 0; d < grad.dim(); ++d) {
    const bool reduce = d < lead || (shape[size_t(d - lead)] == 1 && grad.size(d) != 1);
    mask[d] = reduce;
    if (reduce) keep_shape[size_t(d)] = 1;
  }
  Tensor out = empty(keep_shape, grad.dtype());
  kernels::sum(out, grad, mask);
  // Note [sum_to drops leading dims with a view]
  // PyTorch's at::sum_to sums with keepdim and then, when it drops leading dims, returns
  // `.view(shape)` of that sum: a tracked view (the engine leaves the ADInplaceOrView layer
  // on), so autograd.grad can hand users a gradient whose isView is true. A 0-dim target is
  // a plain sum().
  if (shape.empty() || lead == 0) return alias_with_geometry(out, shape, shape::contiguous_strides(shape), 0);
  return autograd::make_view(out, shape, shape::contiguous_strides(shape), 0);
}

}  // namespace webtorch
