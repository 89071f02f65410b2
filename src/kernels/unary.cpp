#include "kernels/unary.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/simd.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {

using simd::f32x4;

template <class T, class Scalar, class Vec>
void unary_loop(const StridedLoop& loop, Scalar scalar_fn, Vec vec_fn, bool has_vec) {
  loop.run([&](char** p, const int64_t* s, int64_t n) {
    int64_t i = 0;
    if constexpr (std::is_same<T, float>::value) {
      if (has_vec && s[0] == 4 && s[1] == 4) {
        float* out = reinterpret_cast<float*>(p[0]);
        const float* in = reinterpret_cast<const float*>(p[1]);
        for (; i + 4 <= n; i += 4) simd::store(out + i, vec_fn(simd::load(in + i)));
        for (; i < n; ++i) out[i] = scalar_fn(in[i]);
        return;
      }
    }
    char* out = p[0];
    const char* in = p[1];
    for (; i < n; ++i, out += s[0], in += s[1]) {
      T x;
      std::memcpy(&x, in, sizeof(T));
      const T r = T(scalar_fn(x));
      std::memcpy(out, &r, sizeof(T));
    }
  });
}

const auto kNoVec = [](f32x4 v) { return v; };

// Integer negation wraps (-INT32_MIN == INT32_MIN), as PyTorch's does in practice.
template <class T>
T negate(T x) {
  if constexpr (std::is_same<T, int32_t>::value) return int32_t(0u - uint32_t(x));
  else return T(-x);
}

// NaN-propagating max/min, the scalar forms of simd::max/min (vec::maximum in PyTorch).
inline float nan_max(float x, float y) { return (std::isnan(x) || std::isnan(y)) ? x + y : (x > y ? x : y); }
inline float nan_min(float x, float y) { return (std::isnan(x) || std::isnan(y)) ? x + y : (x < y ? x : y); }

int32_t int_bound(double v) {
  if (v <= double(INT32_MIN)) return INT32_MIN;
  if (v >= double(INT32_MAX)) return INT32_MAX;
  return int32_t(v);
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& in, double p0, double p1) {
  StridedLoop loop({&out, &in});
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
      case UnaryOp::Neg:
        return unary_loop<T>(loop, [](T x) { return negate(x); },
                             [](f32x4 v) { return simd::sub(simd::zero(), v); }, true);
      case UnaryOp::Relu:
        return unary_loop<T>(loop, [](T x) { return (std::isnan(double(x)) || x > T(0)) ? x : T(0); },
                             [](f32x4 v) { return simd::max(v, simd::zero()); }, true);
      case UnaryOp::Abs:
        return unary_loop<T>(loop, [](T x) { return x < T(0) ? negate(x) : x; },
                             [](f32x4 v) { return simd::abs(v); }, true);
      case UnaryOp::Exp:
        return unary_loop<T>(loop, [](T x) { return T(std::exp(float(x))); }, kNoVec, false);
      case UnaryOp::Log:
        return unary_loop<T>(loop, [](T x) { return T(std::log(float(x))); }, kNoVec, false);
      case UnaryOp::Sqrt:
        return unary_loop<T>(loop, [](T x) { return T(std::sqrt(float(x))); },
                             [](f32x4 v) { return simd::sqrt(v); }, true);
      case UnaryOp::Tanh:
        return unary_loop<T>(loop, [](T x) { return T(std::tanh(float(x))); }, kNoVec, false);
      case UnaryOp::Sigmoid:
        return unary_loop<T>(loop, [](T x) { return T(1.0f / (1.0f + std::exp(-float(x)))); },
                             kNoVec, false);
      case UnaryOp::Gelu:
        return unary_loop<T>(loop,
                             [](T x) {
                               const float f = float(x);
                               return T(0.5f * f * (1.0f + std::erf(f * 0.70710678118654752f)));
                             },
                             kNoVec, false);
      case UnaryOp::Clamp: {
        // min(max(x, lo), hi) as PyTorch's vec::clamp: NaN stays NaN, lo > hi gives hi.
        if constexpr (std::is_same<T, float>::value) {
          const float lo = float(p0), hi = float(p1);
          const f32x4 vlo = simd::splat(lo), vhi = simd::splat(hi);
          return unary_loop<T>(loop, [=](float x) { return nan_min(nan_max(x, lo), hi); },
                               [=](f32x4 v) { return simd::min(simd::max(v, vlo), vhi); }, true);
        } else if constexpr (std::is_same<T, int32_t>::value) {
          const int32_t lo = int_bound(p0), hi = int_bound(p1);
          return unary_loop<T>(loop, [=](int32_t x) { return std::min(std::max(x, lo), hi); }, kNoVec, false);
        } else {
          return unary_loop<T>(loop, [](T x) { return x; }, kNoVec, false);  // refused by the op
        }
      }
      case UnaryOp::LogicalNot:
        return unary_loop<T>(loop, [](T x) { return T(!x); }, kNoVec, false);
    }
  });
}

}  // namespace kernels
}  // namespace webtorch
