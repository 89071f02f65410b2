#pragma once
// Rows along one dim: the ops that work on each 1-D line of a tensor along `dim` (sort, topk,
// cumsum) read a contiguous copy with that dim moved last, so every line is a contiguous row,
// and write their row-major result back into a tensor of the natural shape.

#include "core/tensor.h"

namespace webtorch {
namespace native {

// The sizes and strides of t with dim moved to the end.
DimVector dim_last(IntArrayRef v, int64_t dim);

// A contiguous copy of self (cast to dtype) whose last dim is self's dim.
Tensor rows_along(const Tensor& self, int64_t dim, ScalarType dtype);

// A fresh contiguous tensor of shape `sizes` holding `rows` (a contiguous tensor of shape
// dim_last(sizes, dim)) with its last dim put back at dim.
Tensor from_rows(const Tensor& rows, IntArrayRef sizes, int64_t dim);

}  // namespace native
}  // namespace webtorch
