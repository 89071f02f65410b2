#pragma once
// The recorded index ops of max/min's backward along a dim (scatter_gather_dim.cpp). index
// (int32) has the keepdim shape: size 1 along dim, so each row holds one index.

#include "core/tensor.h"

namespace webtorch {

// zeros(sizes).scatter_(dim, index, src) (ScatterBackward0), or its scatter_add_ form
// (ScatterAddBackward0: gather's backward); with one index per row both place src alone.
Tensor scatter_into_zeros(const Tensor& src, IntArrayRef sizes, int64_t dim, const Tensor& index, bool add);
// self.gather(dim, index) (GatherBackward0): the src gradient of both scatters.
Tensor gather_dim(const Tensor& self, int64_t dim, const Tensor& index);

}  // namespace webtorch
