#include "ops/triangle.h"

#include "core/dtype.h"

namespace webtorch {
namespace native {

void zero_outside_triangle(const Tensor& t, int64_t k, bool lower) {
  const int64_t nd = t.dim();
  const int64_t rows = t.size(nd - 2), cols = t.size(nd - 1);
  const int64_t rs = t.stride(nd - 2), cs = t.stride(nd - 1);
  const int64_t matrices = rows * cols == 0 ? 0 : t.numel() / (rows * cols);
  dispatch_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    DimVector index(size_t(nd - 2), 0);
    for (int64_t m = 0; m < matrices; ++m) {
      int64_t base = 0;
      for (int64_t d = 0; d < nd - 2; ++d) base += index[size_t(d)] * t.stride(d);
      T* p = t.data<T>() + base;
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
          if (lower ? j - i > k : j - i < k) p[i * rs + j * cs] = T(0);
      for (int64_t d = nd - 3; d >= 0; --d) {  // the next matrix, row-major
        if (++index[size_t(d)] < t.size(d)) break;
        index[size_t(d)] = 0;
      }
    }
  });
}

}  // namespace native
}  // namespace webtorch
