// Dims of the composite reductions (reduced_dims.h).

#include "autograd/ops/reduced_dims.h"

#include "autograd/ops/recorded_reductions.h"
#include "ops/op_utils.h"

namespace webtorch {

ReducedDims reduced_dims(const Tensor& self, const std::optional<DimVector>& dims) {
  ReducedDims r;
  if (!dims || dims->empty()) {
    for (bool& m : r.mask) m = true;
  } else {
    dims_to_mask(*dims, self.dim(), r.mask);
  }
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (!r.mask[d]) continue;
    r.list.push_back(d);
    r.count *= self.size(d);
  }
  return r;
}

Tensor keep_reduced_dims(const Tensor& t, const ReducedDims& r, int64_t ndim, bool keepdim) {
  return unsqueeze_reduced_grad(t, r.mask, size_t(ndim), keepdim);
}

}  // namespace webtorch
