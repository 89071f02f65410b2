// run_backward_kernel: the unrecorded computation shared by the fused backward ops.

#include "ops/backward_ops.h"
#include "ops/op_utils.h"

namespace webtorch {

Tensor run_backward_kernel(kernels::BinaryOp op, const Tensor& grad_output, const Tensor& saved) {
  Tensor out = empty(shape::broadcast_shapes(grad_output.sizes(), saved.sizes()), saved.dtype());
  kernels::binary(op, out, cast_to(grad_output, saved.dtype()), saved);
  return out;
}

}  // namespace webtorch
