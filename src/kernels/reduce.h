#pragma once
// Reductions over a set of dims, in a fixed order (deterministic per build).

#include "core/tensor.h"

namespace webtorch {
namespace kernels {

// out has in's shape with the reduced dims set to 1 (keepdim layout), and in's dtype.
// reduced[d] says whether dim d is reduced.
void sum(const Tensor& out, const Tensor& in, const bool* reduced);

// Max/min over ONE dim with the index of the first extreme (NaN counts as extreme, as in
// PyTorch). values/indices have the keepdim layout; indices are int32.
void max_min_dim(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim,
                 bool is_max);

}  // namespace kernels
}  // namespace webtorch
