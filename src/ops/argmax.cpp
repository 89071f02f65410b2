// argmax: int32 indices of the first maximum (NaN counts as the maximum); without a dim, the
// index into the row-major flattened tensor. Not differentiable.

#include "kernels/reduce.h"
#include "ops/op_utils.h"

namespace webtorch {

Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  int64_t d = 0;
  if (dim) {
    d = shape::wrap_dim(*dim, self.dim());
    WT_CHECK(self.dim() == 0 || self.size(d) != 0, "argmax(): Expected reduction dim ", d,
             " to have non-zero size.");
  } else {
    WT_CHECK(self.numel() != 0,
             "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
  }
  // torch answers a reduced dim of size 1 (zeros) and an empty input before dispatching on
  // the dtype, so bool_tensor.argmax(dim) works there.
  const bool trivial = dim && self.dim() > 0 && (self.size(d) == 1 || self.numel() == 0);
  check_dispatch(trivial || self.dtype() != ScalarType::Bool, "argmax_cpu", self.dtype());
  // The scanned tensor and the dim scanned: without a dim, a flat row-major copy.
  const Tensor in = dim || self.dim() == 0
                        ? self
                        : alias_with_geometry(contiguous_clone(self), {self.numel()}, {1}, 0);
  DimVector out_shape;
  if (dim) {
    out_shape.assign(self.sizes());
    if (self.dim() > 0) {
      if (keepdim) out_shape[size_t(d)] = 1;
      else out_shape.erase(size_t(d));
    }
  } else if (keepdim) {
    out_shape = DimVector(size_t(self.dim()), 1);
  }
  Tensor indices = empty(out_shape, ScalarType::Int32);
  if (in.dim() == 0) {
    *indices.data<int32_t>() = 0;
    return indices;
  }
  DimVector keep(in.sizes());
  keep[size_t(d)] = 1;
  Tensor values = empty(keep, in.dtype());
  Tensor idx_keep = alias_with_geometry(indices, keep, shape::contiguous_strides(keep), 0);
  kernels::max_min_dim(values, idx_keep, in, d, true);
  return indices;
}

}  // namespace webtorch
