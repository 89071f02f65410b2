// run_backward_kernel and embed_in_zeros: the unrecorded computations the backward ops share.

#include "kernels/copy.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

Tensor run_backward_kernel(kernels::BinaryOp op, const Tensor& grad_output, const Tensor& saved) {
  Tensor out = empty(shape::broadcast_shapes(grad_output.sizes(), saved.sizes()), saved.dtype());
  kernels::binary(op, out, cast_to(grad_output, saved.dtype()), saved);
  return out;
}

Tensor embed_in_zeros(const Tensor& grad, IntArrayRef full_sizes, IntArrayRef sizes, IntArrayRef strides,
                      int64_t offset) {
  Tensor out = zeros(full_sizes, grad.dtype());
  kernels::copy(alias_with_geometry(out, sizes, strides, offset), grad);
  return out;
}

}  // namespace webtorch
