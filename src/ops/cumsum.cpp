#include "ops/cumsum.h"

#include <type_traits>

#include "ops/dim_rows.h"
#include "ops/ops.h"

namespace webtorch {
namespace native {

Tensor cumsum_values(const Tensor& self, int64_t dim) {
  const ScalarType out = self.dtype() == ScalarType::Float32 ? ScalarType::Float32 : ScalarType::Int32;
  if (self.dim() == 0) return to_dtype(self, out);
  Tensor rows = rows_along(self, dim, out);
  const int64_t n = self.size(dim);
  const int64_t count = n == 0 ? 0 : rows.numel() / n;
  auto run = [&](auto* p, auto acc) {
    for (int64_t r = 0; r < count; ++r) {
      decltype(acc) sum = 0;
      for (int64_t j = 0; j < n; ++j) {
        sum += p[r * n + j];
        p[r * n + j] = std::remove_reference_t<decltype(*p)>(sum);
      }
    }
  };
  if (out == ScalarType::Float32) run(rows.data<float>(), double{});
  else run(rows.data<int32_t>(), int64_t{});
  return from_rows(rows, self.sizes(), dim);
}

}  // namespace native
}  // namespace webtorch
