#pragma once
// The values of sort and topk (Note [Tie order of sort and topk]): values and int32 indices
// along a wrapped dim, as PyTorch 1.13's CPU kernels order them, NaN as the largest value.
// Nothing here records; the ops and their nodes are in autograd/ops/sort_topk.cpp.

#include <tuple>

#include "core/tensor.h"

namespace webtorch {
namespace native {

// stable: ties keep their input order (std::stable_sort, as PyTorch's stable=True).
std::tuple<Tensor, Tensor> sort_values(const Tensor& self, int64_t dim, bool descending, bool stable = false);
// k already checked against the dim's size.
std::tuple<Tensor, Tensor> topk_values(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted);

// out[..., j, ...] = src[..., index[..., j, ...], ...] along dim (index has out's shape).
Tensor gather_along(const Tensor& src, int64_t dim, const Tensor& index);
// The reverse: zeros of shape sizes with out[..., index[..., j, ...], ...] = src[..., j, ...].
Tensor scatter_along(IntArrayRef sizes, int64_t dim, const Tensor& index, const Tensor& src);

}  // namespace native
}  // namespace webtorch
