#include "kernels/reduce.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "kernels/copy.h"
#include "kernels/simd.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {

// Sum of n contiguous floats: 16 running lanes, then a fixed tree.
float sum_contiguous(const float* x, int64_t n) {
  int64_t i = 0;
  simd::f32x4 a0 = simd::zero(), a1 = simd::zero(), a2 = simd::zero(), a3 = simd::zero();
  for (; i + 16 <= n; i += 16) {
    a0 = simd::add(a0, simd::load(x + i));
    a1 = simd::add(a1, simd::load(x + i + 4));
    a2 = simd::add(a2, simd::load(x + i + 8));
    a3 = simd::add(a3, simd::load(x + i + 12));
  }
  for (; i + 4 <= n; i += 4) a0 = simd::add(a0, simd::load(x + i));
  float s = simd::hsum(simd::add(simd::add(a0, a1), simd::add(a2, a3)));
  for (; i < n; ++i) s += x[i];
  return s;
}

// An alias of out with in's shape and stride 0 along the reduced dims.
Tensor broadcast_out(const Tensor& out, const Tensor& in, const bool* reduced) {
  DimVector strides(out.strides());
  for (int64_t d = 0; d < in.dim(); ++d)
    if (reduced[d]) strides[size_t(d)] = 0;
  return alias_with_geometry(out, in.sizes(), strides, out.storage_offset());
}

}  // namespace

void sum(const Tensor& out, const Tensor& in, const bool* reduced) {
  fill(out, 0.0);
  Tensor acc = broadcast_out(out, in, reduced);
  StridedLoop loop({&acc, &in}, 1);
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    loop.run([](char** p, const int64_t* s, int64_t n) {
      if constexpr (std::is_same<T, float>::value) {
        float* out = reinterpret_cast<float*>(p[0]);
        const float* x = reinterpret_cast<const float*>(p[1]);
        if (s[0] == 0 && s[1] == 4) {
          *out += sum_contiguous(x, n);
          return;
        }
        if (s[0] == 4 && s[1] == 4) {
          int64_t i = 0;
          for (; i + 4 <= n; i += 4) simd::store(out + i, simd::add(simd::load(out + i), simd::load(x + i)));
          for (; i < n; ++i) out[i] += x[i];
          return;
        }
      }
      char* o = p[0];
      const char* x = p[1];
      for (int64_t i = 0; i < n; ++i, o += s[0], x += s[1]) {
        T a, b;
        std::memcpy(&a, o, sizeof(T));
        std::memcpy(&b, x, sizeof(T));
        T r;
        if constexpr (std::is_same<T, int32_t>::value) r = int32_t(uint32_t(a) + uint32_t(b));
        else if constexpr (std::is_same<T, bool>::value) r = a || b;
        else r = a + b;
        std::memcpy(o, &r, sizeof(T));
      }
    });
  });
}

void max_min_dim(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim,
                 bool is_max) {
  const int64_t n = in.size(dim);
  const int64_t in_stride = in.stride(dim) * int64_t(itemsize(in.dtype()));
  // Iterate over the kept positions; for each, scan dim.
  DimVector kept_sizes(in.sizes());
  kept_sizes[size_t(dim)] = 1;
  Tensor in_first = alias_with_geometry(in, kept_sizes, in.strides(), in.storage_offset());
  StridedLoop loop({&values, &indices, &in_first});
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    loop.run([&](char** p, const int64_t* s, int64_t count) {
      char* v = p[0];
      char* ix = p[1];
      const char* x = p[2];
      for (int64_t j = 0; j < count; ++j, v += s[0], ix += s[1], x += s[2]) {
        T best;
        std::memcpy(&best, x, sizeof(T));
        int32_t best_i = 0;
        bool best_nan = std::is_floating_point<T>::value && std::isnan(double(best));
        for (int64_t i = 1; i < n && !best_nan; ++i) {
          T cur;
          std::memcpy(&cur, x + i * in_stride, sizeof(T));
          if (std::is_floating_point<T>::value && std::isnan(double(cur))) {
            best = cur;
            best_i = int32_t(i);
            best_nan = true;
          } else if (is_max ? cur > best : cur < best) {
            best = cur;
            best_i = int32_t(i);
          }
        }
        std::memcpy(v, &best, sizeof(T));
        std::memcpy(ix, &best_i, sizeof(int32_t));
      }
    });
  });
}

}  // namespace kernels
}  // namespace webtorch
