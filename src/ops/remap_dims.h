#pragma once
// flip, roll and repeat move whole slices: every output index along each dim reads one input
// index along the same dim. remap_dims copies through such per-dim maps, from any layout.

#include <vector>

#include "core/tensor.h"

namespace webtorch {
namespace native {

// out[i0, ..., in] = self[maps[0][i0], ..., maps[n][in]]; maps[d] has out's size along d.
Tensor remap_dims(const Tensor& self, const std::vector<std::vector<int64_t>>& maps);

// The maps of the three ops along one dim of size n.
std::vector<int64_t> flipped(int64_t n);
std::vector<int64_t> rolled(int64_t n, int64_t shift);
std::vector<int64_t> repeated(int64_t n, int64_t times);

}  // namespace native
}  // namespace webtorch
