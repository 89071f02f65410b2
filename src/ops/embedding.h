#pragma once
// The value half of embedding (autograd/ops/embedding.cpp): row gathers and their scatter-add
// gradient. Nothing here records.

#include "ops/ops.h"

namespace webtorch {
namespace native {

// weight [num_weights, D] (any dtype), indices int32 (checked in range by the caller):
// out[..., :] = weight[indices[...], :], of shape indices.sizes() + [D].
Tensor embedding_gather(const Tensor& weight, const Tensor& indices);

// The gradient of embedding_gather for weight: zeros [num_weights, D], each row of grad added
// to the row its index names; rows of padding_idx (>= 0) get nothing.
Tensor embedding_scatter_add(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx);

// 1 where indices != padding_idx, else 0: float32 of shape indices.sizes() + [1].
Tensor embedding_padding_mask(const Tensor& indices, int64_t padding_idx);

}  // namespace native
}  // namespace webtorch
