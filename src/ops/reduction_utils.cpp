#include "ops/reduction_utils.h"

#include "core/shape.h"
#include "kernels/reduce.h"
#include "ops/ops.h"

namespace webtorch {

DimVector reduced_shape(IntArrayRef sizes, const bool* mask, bool keepdim) {
  DimVector out;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (!mask[d]) out.push_back(sizes[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

Tensor reduce_sum(const Tensor& self, const bool* mask, bool keepdim, ScalarType out_dtype) {
  const Tensor in = self.dtype() == out_dtype ? self : to_dtype(self, out_dtype);
  const DimVector keep = reduced_shape(self.sizes(), mask, true);
  Tensor out = empty(keep, out_dtype);
  kernels::sum(out, in, mask);
  if (keepdim) return out;
  const DimVector shape = reduced_shape(self.sizes(), mask, false);
  return alias_with_geometry(out, shape, shape::contiguous_strides(shape), 0);
}

Tensor unsqueeze_reduced(const Tensor& grad, const bool* mask, size_t ndim, bool keepdim) {
  if (keepdim) return grad;
  DimVector shape, strides;
  size_t g = 0;
  for (size_t d = 0; d < ndim; ++d) {
    if (mask[d]) {
      shape.push_back(1);
      strides.push_back(0);  // any stride is right for a size-1 dim
    } else {
      shape.push_back(grad.size(int64_t(g)));
      strides.push_back(grad.stride(int64_t(g)));
      ++g;
    }
  }
  return alias_with_geometry(grad, shape, strides, grad.storage_offset());
}

}  // namespace webtorch
