#pragma once
// The value of cumsum (autograd/ops/cumsum.cpp records it): running sums along a wrapped dim,
// accumulated as PyTorch's CPU kernel does, in double for float32 (acc_type) and rounded at
// every step; int32 and bool inputs give int32 (PyTorch: int64).

#include "core/tensor.h"

namespace webtorch {
namespace native {

Tensor cumsum_values(const Tensor& self, int64_t dim);

}  // namespace native
}  // namespace webtorch
