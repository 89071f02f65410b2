#include "kernels/copy.h"

#include <cstring>

#include "core/convert.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {
template <class To, class From>
void cast_loop(char** p, const int64_t* s, int64_t n) {
  char* out = p[0];
  const char* in = p[1];
  if constexpr (std::is_same<To, From>::value) {
    if (s[0] == int64_t(sizeof(To)) && s[1] == int64_t(sizeof(To))) {
      std::memcpy(out, in, size_t(n) * sizeof(To));
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i, out += s[0], in += s[1]) {
    From v;
    std::memcpy(&v, in, sizeof(From));
    To r;
    if constexpr (std::is_same<To, bool>::value) {
      r = v != From(0);
    } else if constexpr (std::is_same<To, int32_t>::value && std::is_floating_point<From>::value) {
      r = float_to_int32(v);  // Note [Defined conversions]
    } else {
      r = static_cast<To>(v);
    }
    std::memcpy(out, &r, sizeof(To));
  }
}
}  // namespace

void copy(const Tensor& dst, const Tensor& src) {
  StridedLoop loop({&dst, &src});
  dispatch_dtype(dst.dtype(), [&](auto to) {
    using To = decltype(to);
    dispatch_dtype(src.dtype(), [&](auto from) {
      using From = decltype(from);
      loop.run([](char** p, const int64_t* s, int64_t n) { cast_loop<To, From>(p, s, n); });
    });
  });
}

void fill(const Tensor& dst, Scalar value) {
  StridedLoop loop({&dst});
  dispatch_dtype(dst.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // Note [Defined conversions]: no undefined float -> int conversion, whatever the value.
    T v;
    if constexpr (std::is_same<T, bool>::value) {
      v = value.to_double() != 0;
    } else if constexpr (std::is_same<T, int32_t>::value) {
      v = value.is_floating() ? float_to_int32(value.to_double()) : integer_to_int32(value.to_double());
    } else {
      v = T(value.to_double());
    }
    loop.run([v](char** p, const int64_t* s, int64_t n) {
      char* out = p[0];
      if (s[0] == int64_t(sizeof(T))) {
        T* o = reinterpret_cast<T*>(out);
        for (int64_t i = 0; i < n; ++i) o[i] = v;
        return;
      }
      for (int64_t i = 0; i < n; ++i, out += s[0]) std::memcpy(out, &v, sizeof(T));
    });
  });
}

void accumulate_into(const Tensor& dst, const Tensor& src) {
  // Walk in dst's logical order; the reference is src so that a stride-0 dst dim is not
  // reordered in a way that changes which contributions meet.
  StridedLoop loop({&dst, &src}, 1);
  dispatch_dtype(dst.dtype(), [&](auto tag) {
    using T = decltype(tag);
    loop.run([](char** p, const int64_t* s, int64_t n) {
      char* out = p[0];
      const char* in = p[1];
      for (int64_t i = 0; i < n; ++i, out += s[0], in += s[1]) {
        T a, b;
        std::memcpy(&a, out, sizeof(T));
        std::memcpy(&b, in, sizeof(T));
        const T r = std::is_same<T, bool>::value ? T(a || b) : T(a + b);
        std::memcpy(out, &r, sizeof(T));
      }
    });
  });
}

}  // namespace kernels
}  // namespace webtorch
