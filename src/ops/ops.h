#pragma once
// The value-computing layer's operators: factories, comparisons, argmax, random fills and
// the dtype/copy helpers. None of them records (they have no gradient); they are called by
// the differentiable ops in autograd/ops/ and re-exported by autograd/ops/ops.h, the public
// operator header (src/README.md draws the layers).

#include <optional>
#include <tuple>
#include <vector>

#include "core/scalar.h"
#include "core/tensor.h"

namespace webtorch {

// at::Reduction's values (the losses of autograd/ops/nn_ops.h): js/constants.mjs REDUCTION,
// through webtorch_constants.h.
enum class Reduction : int32_t {
  None = constants::kReductionNone,
  Mean = constants::kReductionMean,
  Sum = constants::kReductionSum,
};

// ---- factories (ops/factories.cpp) ----
Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype);
Tensor zeros(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
Tensor ones(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
Tensor full(IntArrayRef sizes, Scalar value, ScalarType dtype = ScalarType::Float32);
// Refuses a fill value the dtype cannot hold, with PyTorch's text (Note [Defined conversions]).
void check_fill_value(Scalar value, ScalarType dtype);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor arange(double start, double end, double step, ScalarType dtype);
Tensor eye(int64_t n, int64_t m, ScalarType dtype);
// Random factories and the seed of the default generator (ops/random.cpp, core/generator.h).
Tensor rand(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
Tensor randn(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);
void manual_seed(int64_t seed);
// ops/sampling.cpp (issue 14): integers in [low, high), a permutation of 0..n-1, and int32
// category indices drawn from the rows of a 1-D / 2-D probability tensor, as torch 1.13 draws.
Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, ScalarType dtype = ScalarType::Int32);
Tensor randperm(int64_t n, ScalarType dtype = ScalarType::Int32);
Tensor multinomial(const Tensor& probs, int64_t n_sample, bool replacement = false);
// A tensor of the given shape from row-major values (converted to dtype).
Tensor from_values(const double* values, IntArrayRef sizes, ScalarType dtype);
// A Python number as a 0-dim tensor that ranks lowest in type promotion.
Tensor scalar_to_tensor(Scalar s);
double item(const Tensor& t);

// ---- comparisons (ops/compare.cpp): bool results, never recorded ----
Tensor eq(const Tensor& self, const Tensor& other);
Tensor eq(const Tensor& self, Scalar other);
Tensor lt(const Tensor& self, const Tensor& other);
Tensor lt(const Tensor& self, Scalar other);
Tensor gt(const Tensor& self, const Tensor& other);
Tensor gt(const Tensor& self, Scalar other);
Tensor le(const Tensor& self, const Tensor& other);
Tensor le(const Tensor& self, Scalar other);
Tensor ge(const Tensor& self, const Tensor& other);
Tensor ge(const Tensor& self, Scalar other);

// ops/argmax.cpp: int32 indices; without a dim, the index into the flattened tensor.
Tensor argmax(const Tensor& self, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);

// ---- helpers (ops/op_utils.cpp); none of them records ----
bool is_expandable_to(IntArrayRef shape, IntArrayRef desired);
Tensor to_dtype(const Tensor& t, ScalarType dtype);
// A contiguous copy that shares nothing with t (no autograd).
Tensor contiguous_clone(const Tensor& t);

}  // namespace webtorch
