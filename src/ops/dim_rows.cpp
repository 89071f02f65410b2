#include "ops/dim_rows.h"

#include "core/shape.h"
#include "kernels/copy.h"
#include "ops/ops.h"
#include "ops/op_utils.h"

namespace webtorch {
namespace native {

DimVector dim_last(IntArrayRef v, int64_t dim) {
  DimVector out;
  for (size_t d = 0; d < v.size(); ++d)
    if (int64_t(d) != dim) out.push_back(v[d]);
  if (!v.empty()) out.push_back(v[size_t(dim)]);
  return out;
}

Tensor rows_along(const Tensor& self, int64_t dim, ScalarType dtype) {
  const Tensor moved = alias_with_geometry(self, dim_last(self.sizes(), dim), dim_last(self.strides(), dim),
                                           self.storage_offset());
  Tensor rows = empty(moved.sizes(), dtype);
  kernels::copy(rows, moved);
  return rows;
}

Tensor from_rows(const Tensor& rows, IntArrayRef sizes, int64_t dim) {
  Tensor out = empty(sizes, rows.dtype());
  const DimVector strides = shape::contiguous_strides(sizes);
  kernels::copy(alias_with_geometry(out, dim_last(sizes, dim), dim_last(strides, dim), 0), rows);
  return out;
}

}  // namespace native
}  // namespace webtorch
