#include "ops/remap_dims.h"

namespace webtorch {
namespace native {

Tensor remap_dims(const Tensor& self, const std::vector<std::vector<int64_t>>& maps) {
  DimVector sizes;
  for (const auto& m : maps) sizes.push_back(int64_t(m.size()));
  Tensor out = empty(sizes, self.dtype());
  const int64_t numel = out.numel();
  if (numel == 0) return out;
  const int64_t ndim = int64_t(maps.size());
  // Strided input offsets: per dim, the offset of each output index.
  std::vector<std::vector<int64_t>> offsets(maps.size());
  for (int64_t d = 0; d < ndim; ++d)
    for (int64_t i : maps[size_t(d)]) offsets[size_t(d)].push_back(i * self.stride(d));
  dispatch_dtype(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = self.data<T>();
    T* o = out.data<T>();
    DimVector index(size_t(ndim), 0);
    for (int64_t k = 0; k < numel; ++k) {
      int64_t offset = 0;
      for (int64_t d = 0; d < ndim; ++d) offset += offsets[size_t(d)][size_t(index[size_t(d)])];
      o[k] = in[offset];
      for (int64_t d = ndim - 1; d >= 0; --d) {  // the next row-major index
        if (++index[size_t(d)] < sizes[size_t(d)]) break;
        index[size_t(d)] = 0;
      }
    }
  });
  return out;
}

std::vector<int64_t> flipped(int64_t n) {
  std::vector<int64_t> m(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) m[size_t(i)] = n - 1 - i;
  return m;
}

std::vector<int64_t> rolled(int64_t n, int64_t shift) {
  std::vector<int64_t> m(static_cast<size_t>(n));
  if (n == 0) return m;
  const int64_t s = ((shift % n) + n) % n;
  for (int64_t i = 0; i < n; ++i) m[size_t(i)] = (i - s + n) % n;
  return m;
}

std::vector<int64_t> repeated(int64_t n, int64_t times) {
  std::vector<int64_t> m;
  for (int64_t t = 0; t < times; ++t)
    for (int64_t i = 0; i < n; ++i) m.push_back(i);
  return m;
}

}  // namespace native
}  // namespace webtorch
