#pragma once
// The operator set. One file per op (or per family sharing a backward), holding the op,
// its checks, its autograd node and its backward formula; see ops/mul.cpp for the pattern.

#include <vector>

#include "core/scalar.h"
#include "core/tensor.h"

namespace webtorch {

// ---- factories (ops/factories.cpp) ----
Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype);
Tensor zeros(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
Tensor ones(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
Tensor full(IntArrayRef sizes, Scalar value, ScalarType dtype = ScalarType::Float32);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor arange(double start, double end, double step, ScalarType dtype);
Tensor eye(int64_t n, int64_t m, ScalarType dtype);
// A tensor of the given shape from row-major values (converted to dtype).
Tensor from_values(const double* values, IntArrayRef sizes, ScalarType dtype);
// A Python number as a 0-dim tensor that ranks lowest in type promotion.
Tensor scalar_to_tensor(Scalar s);
double item(const Tensor& t);

// ---- elementwise arithmetic (ops/add.cpp, sub.cpp, mul.cpp, div.cpp) ----
Tensor add(const Tensor& self, const Tensor& other, Scalar alpha = 1);
Tensor add(const Tensor& self, Scalar other, Scalar alpha = 1);
const Tensor& add_(const Tensor& self, const Tensor& other, Scalar alpha = 1);
const Tensor& add_(const Tensor& self, Scalar other, Scalar alpha = 1);
Tensor sub(const Tensor& self, const Tensor& other, Scalar alpha = 1);
Tensor sub(const Tensor& self, Scalar other, Scalar alpha = 1);
const Tensor& sub_(const Tensor& self, const Tensor& other, Scalar alpha = 1);
const Tensor& sub_(const Tensor& self, Scalar other, Scalar alpha = 1);
Tensor mul(const Tensor& self, const Tensor& other);
Tensor mul(const Tensor& self, Scalar other);
const Tensor& mul_(const Tensor& self, const Tensor& other);
const Tensor& mul_(const Tensor& self, Scalar other);
Tensor div(const Tensor& self, const Tensor& other);
Tensor div(const Tensor& self, Scalar other);
const Tensor& div_(const Tensor& self, const Tensor& other);
const Tensor& div_(const Tensor& self, Scalar other);

// ---- unary (ops/neg.cpp, relu.cpp, exp.cpp) ----
Tensor neg(const Tensor& self);
Tensor relu(const Tensor& self);
const Tensor& relu_(const Tensor& self);
Tensor exp(const Tensor& self);

// ---- reductions (ops/sum.cpp, mean.cpp) ----
Tensor sum(const Tensor& self);
Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim = false);
Tensor mean(const Tensor& self);
Tensor mean(const Tensor& self, IntArrayRef dims, bool keepdim = false);

// ---- linear algebra (ops/matmul.cpp, mm.cpp) ----
Tensor matmul(const Tensor& self, const Tensor& other);
Tensor mm(const Tensor& self, const Tensor& mat2);
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor dot(const Tensor& self, const Tensor& other);
Tensor bmm(const Tensor& self, const Tensor& mat2);

// ---- views (ops/view.cpp, reshape.cpp, transpose.cpp, unsqueeze.cpp, expand.cpp, squeeze.cpp) ----
Tensor view(const Tensor& self, IntArrayRef sizes);
Tensor reshape(const Tensor& self, IntArrayRef sizes);
Tensor unsafe_view(const Tensor& self, IntArrayRef sizes);
Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1);
Tensor unsqueeze(const Tensor& self, int64_t dim);
Tensor squeeze(const Tensor& self, int64_t dim);
const Tensor& squeeze_(const Tensor& self, int64_t dim);
Tensor expand(const Tensor& self, IntArrayRef sizes);

// ---- in-place fills and copies (ops/zero.cpp, fill.cpp, copy.cpp) ----
const Tensor& zero_(const Tensor& self);
const Tensor& fill_(const Tensor& self, Scalar value);
const Tensor& copy_(const Tensor& self, const Tensor& src);

// ---- identity-like (ops/clone.cpp, detach.cpp, contiguous.cpp) ----
Tensor clone(const Tensor& self);
Tensor detach(const Tensor& self);
Tensor contiguous(const Tensor& self);

// ---- helpers for backward formulas (ops/op_utils.cpp); none of them records ----
// grad summed over the dims along which shape was broadcast to grad's shape.
Tensor sum_to(const Tensor& grad, IntArrayRef shape);
bool is_expandable_to(IntArrayRef shape, IntArrayRef desired);
Tensor to_dtype(const Tensor& t, ScalarType dtype);
// A contiguous copy that shares nothing with t (no autograd).
Tensor contiguous_clone(const Tensor& t);

}  // namespace webtorch
