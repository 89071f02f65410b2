#pragma once
// Shared by the reductions: output shapes and the inverse for backward.

#include "core/tensor.h"

namespace webtorch {

// The reduced shape: reduced dims dropped, or kept as 1 when keepdim.
DimVector reduced_shape(IntArrayRef sizes, const bool* mask, bool keepdim);

// Sums self over the masked dims into a fresh tensor of dtype out_dtype.
Tensor reduce_sum(const Tensor& self, const bool* mask, bool keepdim, ScalarType out_dtype);

// Reinserts the reduced dims (as size 1) into a gradient that lost them.
Tensor unsqueeze_reduced(const Tensor& grad, const bool* mask, size_t ndim, bool keepdim);

}  // namespace webtorch
