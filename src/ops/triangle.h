#pragma once
// The values of tril / triu (autograd/ops/tril_triu.cpp records them): zeros written over the
// elements of the last two dims outside the triangle. lower keeps j - i <= k (tril), else
// j - i >= k (triu).

#include "core/tensor.h"

namespace webtorch {
namespace native {

void zero_outside_triangle(const Tensor& t, int64_t k, bool lower);

}  // namespace native
}  // namespace webtorch
