#pragma once
// Raw data movement, below autograd: no checks of modes, no version bumps.

#include "core/scalar.h"
#include "core/tensor.h"

namespace webtorch {
namespace kernels {

// dst[...] = src[...] with src broadcast to dst's shape and cast to dst's dtype.
void copy(const Tensor& dst, const Tensor& src);
void fill(const Tensor& dst, Scalar value);
// dst[...] += src[...] element by element in order, so overlapping dst elements (an
// expanded view) accumulate every contribution.
void accumulate_into(const Tensor& dst, const Tensor& src);

}  // namespace kernels
}  // namespace webtorch
