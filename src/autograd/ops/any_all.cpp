// any / all: whether any (every) element is nonzero (NaN counts as nonzero), over everything or
// over dims; bool results, never recorded (torch 1.13 gives bool for every dtype webtorch has).
// Counted as int32 sums of the elements cast to bool.

#include "autograd/ops/reduced_dims.h"
#include "core/grad_mode.h"
#include "autograd/ops/ops.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {
// The number of nonzero elements (or, when zeros, of zero elements) over the dims.
Tensor count_over(const Tensor& self, const std::optional<DimVector>& dims, bool keepdim, bool zeros) {
  AutoGradMode unrecorded(false);  // a bool result has no gradient
  const ReducedDims r = reduced_dims(self, dims);
  Tensor flags = to_dtype(self, ScalarType::Bool);
  if (zeros) flags = eq(flags, Scalar(false));
  return sum(to_dtype(flags, ScalarType::Int32), r.list, keepdim);
}
}  // namespace

Tensor any(const Tensor& self) { return gt(count_over(self, std::nullopt, false, false), Scalar(0)); }
Tensor any(const Tensor& self, IntArrayRef dims, bool keepdim) {
  return gt(count_over(self, DimVector(dims), keepdim, false), Scalar(0));
}
Tensor all(const Tensor& self) { return eq(count_over(self, std::nullopt, false, true), Scalar(0)); }
Tensor all(const Tensor& self, IntArrayRef dims, bool keepdim) {
  return eq(count_over(self, DimVector(dims), keepdim, true), Scalar(0));
}

}  // namespace webtorch
