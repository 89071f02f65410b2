#pragma once
// The dims a composite reduction (var, std, norm, logsumexp) reduces, in the three forms its
// value and backward need: a mask (unsqueeze_reduced_grad), an ascending list (sum / mean over
// dims) and the count of elements reduced into each output element.

#include <optional>

#include "core/tensor.h"

namespace webtorch {

struct ReducedDims {
  bool mask[kMaxDims];
  DimVector list;
  int64_t count = 1;
};

// No dims (nullopt or an empty list) reduces every dim, as PyTorch 1.13's dim=None / dim=[];
// PyTorch's errors for a dim out of range or repeated.
ReducedDims reduced_dims(const Tensor& self, const std::optional<DimVector>& dims);

// t (reduced, keepdim or not) with the reduced dims back as size 1, recorded when it must be.
Tensor keep_reduced_dims(const Tensor& t, const ReducedDims& r, int64_t ndim, bool keepdim);

}  // namespace webtorch
