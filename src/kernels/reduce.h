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

// out[.., indices[..], ..] = src[..] along dim: indices (int32) and src have out's shape with
// size 1 along dim (the backward of max/min over a dim).
void scatter_dim(const Tensor& out, int64_t dim, const Tensor& indices, const Tensor& src);

// out[..] = self[.., indices[..], ..] along dim: indices (int32) and out have self's shape
// with size 1 along dim (scatter_dim's inverse, the double backward of max/min over a dim).
void gather_dim(const Tensor& out, const Tensor& self, int64_t dim, const Tensor& indices);

// The max/min of all of in's elements (at least one) into the 0-dim out; NaN wins.
void max_min_all(const Tensor& out, const Tensor& in, bool is_max);

// Softmax (log: log-softmax) of float32 in along dim into out, which has in's shape.
// Each row: m = max, e = exp(x - m), then e / sum(e) (as e * (1 / sum)) or x - m - log(sum).
void softmax(const Tensor& out, const Tensor& in, int64_t dim, bool log);

// The gradient of softmax / log-softmax from the saved output y:
// y * (g - sum(g * y)) or g - exp(y) * sum(g), rows along dim. All of one shape.
void softmax_backward(const Tensor& grad_in, const Tensor& grad, const Tensor& y, int64_t dim,
                      bool log);

}  // namespace kernels
}  // namespace webtorch
