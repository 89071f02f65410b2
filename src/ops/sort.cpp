#include "ops/sort.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/shape.h"
#include "ops/dim_rows.h"
#include "ops/libstdcxx_sort.h"
#include "ops/ops.h"

namespace webtorch {
namespace native {

namespace {

template <class T>
bool is_nan(T v) {
  if constexpr (std::is_same<T, float>::value) return std::isnan(v);
  return false;
}

// PyTorch's comparators: NaN sorts above every number (KeyValueCompAsc / KeyValueCompDesc,
// and topk's lambdas, compare the values only).
template <class T>
struct Ascending {
  bool operator()(const std::pair<T, int32_t>& a, const std::pair<T, int32_t>& b) const {
    return (!is_nan(a.first) && is_nan(b.first)) || (a.first < b.first);
  }
};
template <class T>
struct Descending {
  bool operator()(const std::pair<T, int32_t>& a, const std::pair<T, int32_t>& b) const {
    return (is_nan(a.first) && !is_nan(b.first)) || (a.first > b.first);
  }
};

// Runs order(row, n) on every row of self (of C++ type T) along dim and keeps the first k of each.
template <class T, class Order>
std::tuple<Tensor, Tensor> ordered_rows(const Tensor& self, int64_t dim, int64_t k, Order&& order) {
  DimVector sizes(self.sizes());
  if (self.dim() == 0) return {contiguous_clone(self), zeros({}, ScalarType::Int32)};  // itself, index 0
  const Tensor rows = rows_along(self, dim, self.dtype());
  const int64_t n = self.size(dim);
  sizes[size_t(dim)] = k;
  DimVector row_sizes = dim_last(sizes, dim);
  Tensor values = empty(row_sizes, self.dtype());
  Tensor indices = empty(row_sizes, ScalarType::Int32);
  const int64_t count = n == 0 ? 0 : rows.numel() / n;
  std::vector<std::pair<T, int32_t>> line(static_cast<size_t>(n));
  for (int64_t r = 0; r < count; ++r) {
    const T* in = rows.data<T>() + r * n;
    for (int64_t j = 0; j < n; ++j) line[size_t(j)] = {in[j], int32_t(j)};
    order(line.data(), n);
    T* v = values.data<T>() + r * k;
    int32_t* i = indices.data<int32_t>() + r * k;
    for (int64_t j = 0; j < k; ++j) {
      v[j] = line[size_t(j)].first;
      i[j] = line[size_t(j)].second;
    }
  }
  return {from_rows(values, sizes, dim), from_rows(indices, sizes, dim)};
}

}  // namespace

std::tuple<Tensor, Tensor> sort_values(const Tensor& self, int64_t dim, bool descending, bool stable) {
  const int64_t n = self.dim() == 0 ? 1 : self.size(dim);
  return dispatch_dtype(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using E = std::pair<T, int32_t>;
    return ordered_rows<T>(self, dim, n, [&](E* line, int64_t len) {
      if (stable && descending) std::stable_sort(line, line + len, Descending<T>());
      else if (stable) std::stable_sort(line, line + len, Ascending<T>());
      else if (descending) libstdcxx::sort(line, line + len, Descending<T>());
      else libstdcxx::sort(line, line + len, Ascending<T>());
    });
  });
}

// topk_impl_loop: partial_sort when k * 64 <= n, else nth_element and (if sorted) a sort of
// the first k - 1 (the k-th is in place already).
std::tuple<Tensor, Tensor> topk_values(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted) {
  return dispatch_dtype(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using E = std::pair<T, int32_t>;
    auto select = [&](E* line, int64_t n, auto comp) {
      if (k == 0) return;
      if (k * 64 <= n) {
        libstdcxx::partial_sort(line, line + k, line + n, comp);
      } else {
        libstdcxx::nth_element(line, line + k - 1, line + n, comp);
        if (sorted) libstdcxx::sort(line, line + k - 1, comp);
      }
    };
    return ordered_rows<T>(self, dim, k, [&](E* line, int64_t n) {
      if (largest) select(line, n, Descending<T>());
      else select(line, n, Ascending<T>());
    });
  });
}

Tensor gather_along(const Tensor& src, int64_t dim, const Tensor& index) {
  if (src.dim() == 0) return contiguous_clone(src);
  const Tensor rows = rows_along(src, dim, src.dtype());
  const Tensor index_rows = rows_along(index, dim, ScalarType::Int32);
  const int64_t n = src.size(dim);
  const int64_t k = index.size(dim);
  Tensor out = empty(index_rows.sizes(), src.dtype());
  const int64_t count = k == 0 ? 0 : out.numel() / k;
  dispatch_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t r = 0; r < count; ++r)
      for (int64_t j = 0; j < k; ++j)
        out.data<T>()[r * k + j] = rows.data<T>()[r * n + index_rows.data<int32_t>()[r * k + j]];
  });
  return from_rows(out, index.sizes(), dim);
}

Tensor scatter_along(IntArrayRef sizes, int64_t dim, const Tensor& index, const Tensor& src) {
  if (sizes.empty()) return contiguous_clone(src);
  const Tensor src_rows = rows_along(src, dim, src.dtype());
  const Tensor index_rows = rows_along(index, dim, ScalarType::Int32);
  const int64_t n = sizes[size_t(dim)];
  const int64_t k = index.size(dim);
  Tensor out = zeros(dim_last(sizes, dim), src.dtype());
  const int64_t count = k == 0 ? 0 : index.numel() / k;
  dispatch_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t r = 0; r < count; ++r)
      for (int64_t j = 0; j < k; ++j)
        out.data<T>()[r * n + index_rows.data<int32_t>()[r * k + j]] = src_rows.data<T>()[r * k + j];
  });
  return from_rows(out, sizes, dim);
}

}  // namespace native
}  // namespace webtorch
