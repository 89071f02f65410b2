// Row gathers for embedding and their scatter-add gradient (ops/embedding.h).

#include "ops/embedding.h"

#include <cstring>

namespace webtorch {
namespace native {

namespace {
DimVector with_last(IntArrayRef sizes, int64_t last) {
  DimVector out(sizes);
  out.push_back(last);
  return out;
}
}  // namespace

Tensor embedding_gather(const Tensor& weight, const Tensor& indices) {
  const Tensor w = weight.is_contiguous() ? weight : contiguous_clone(weight);
  const Tensor idx = indices.is_contiguous() ? indices : contiguous_clone(indices);
  const int64_t D = w.size(1);
  Tensor out = empty(with_last(indices.sizes(), D), w.dtype());
  const size_t row = size_t(D) * itemsize(w.dtype());
  const int32_t* ix = idx.data<int32_t>();
  const char* src = w.data<char>();
  char* dst = out.data<char>();
  for (int64_t i = 0; i < idx.numel(); ++i) std::memcpy(dst + i * row, src + size_t(ix[i]) * row, row);
  return out;
}

Tensor embedding_scatter_add(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx) {
  const Tensor g = grad.is_contiguous() ? grad : contiguous_clone(grad);
  const Tensor idx = indices.is_contiguous() ? indices : contiguous_clone(indices);
  const int64_t D = g.size(g.dim() - 1);
  Tensor out = zeros({num_weights, D}, g.dtype());
  const int32_t* ix = idx.data<int32_t>();
  const float* src = g.data<float>();
  float* dst = out.data<float>();
  for (int64_t i = 0; i < idx.numel(); ++i) {
    if (ix[i] == padding_idx) continue;
    float* o = dst + int64_t(ix[i]) * D;
    const float* r = src + i * D;
    for (int64_t j = 0; j < D; ++j) o[j] += r[j];
  }
  return out;
}

Tensor embedding_padding_mask(const Tensor& indices, int64_t padding_idx) {
  const Tensor idx = indices.is_contiguous() ? indices : contiguous_clone(indices);
  Tensor out = empty(with_last(indices.sizes(), 1), ScalarType::Float32);
  const int32_t* ix = idx.data<int32_t>();
  float* o = out.data<float>();
  for (int64_t i = 0; i < idx.numel(); ++i) o[i] = ix[i] == padding_idx ? 0.0f : 1.0f;
  return out;
}

}  // namespace native
}  // namespace webtorch
