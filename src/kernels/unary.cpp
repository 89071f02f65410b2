#include "kernels/unary.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/simd.h"
#include "kernels/vector_math.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {

using simd::f32x4;

template <class T, class Scalar, class Vec>
void unary_loop(const StridedLoop& loop, Scalar scalar_fn, Vec vec_fn, bool has_vec) {
  loop.run_elementwise([&](char** p, const int64_t* s, int64_t n) {
    int64_t i = 0;
    if constexpr (std::is_same<T, float>::value) {
      if (has_vec && s[0] == 4 && s[1] == 4) {
        float* out = reinterpret_cast<float*>(p[0]);
        const float* in = reinterpret_cast<const float*>(p[1]);
        // Four vectors per iteration, pointers stepped (Note [Pointer-stepped loops]). Loads
        // before stores, so out == in (in place) reads each value first.
        const float* const stop16 = in + (n & ~int64_t(15));
        for (; in != stop16; in += 16, out += 16) {
          const f32x4 a = simd::load(in), b = simd::load(in + 4), c = simd::load(in + 8), d = simd::load(in + 12);
          simd::store(out, vec_fn(a));
          simd::store(out + 4, vec_fn(b));
          simd::store(out + 8, vec_fn(c));
          simd::store(out + 12, vec_fn(d));
        }
        const float* const stop4 = stop16 + ((n & 15) & ~int64_t(3));
        for (; in != stop4; in += 4, out += 4) simd::store(out, vec_fn(simd::load(in)));
        for (int64_t k = 0; k < (n & 3); ++k) out[k] = scalar_fn(in[k]);
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

// The scalar forms of simd::pmax/pmin: x < bound ? bound : x keeps a NaN x and -0 against a
// bound of +0, as PyTorch's clamp_min (maxps(min, x)); a NaN bound is ignored.
inline float keep_pmax(float x, float bound) { return x < bound ? bound : x; }
inline float keep_pmin(float x, float bound) { return bound < x ? bound : x; }

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
                             [](f32x4 v) { return simd::neg(v); }, true);
      case UnaryOp::Relu:
        // PyTorch's relu is clamp_min(x, 0): relu(NaN) = NaN, relu(-0) = -0.
        return unary_loop<T>(loop,
                             [](T x) {
                               if constexpr (std::is_same<T, float>::value) return simd::relu_lane(x);
                               else return x < T(0) ? T(0) : x;
                             },
                             [](f32x4 v) { return simd::relu(v); }, true);
      case UnaryOp::Abs:
        // fabs for floats: abs(-0) is +0.
        return unary_loop<T>(loop,
                             [](T x) {
                               if constexpr (std::is_same<T, float>::value) return std::fabs(x);
                               else return x < T(0) ? negate(x) : x;
                             },
                             [](f32x4 v) { return simd::abs(v); }, true);
      case UnaryOp::Exp:
        return unary_loop<T>(loop, [](T x) { return T(simd::exp_lane(float(x))); },
                             [](f32x4 v) { return simd::exp(v); }, true);
      case UnaryOp::Log:
        return unary_loop<T>(loop, [](T x) { return T(std::log(float(x))); }, kNoVec, false);
      case UnaryOp::Sqrt:
        return unary_loop<T>(loop, [](T x) { return T(std::sqrt(float(x))); },
                             [](f32x4 v) { return simd::sqrt(v); }, true);
      case UnaryOp::Tanh:
        return unary_loop<T>(loop, [](T x) { return T(simd::tanh_lane(float(x))); },
                             [](f32x4 v) { return simd::tanh(v); }, true);
      case UnaryOp::Sigmoid:
        // PyTorch's vectorised form: 1 / (1 + exp(-x)).
        return unary_loop<T>(loop, [](T x) { return T(1.0f / (1.0f + simd::exp_lane(-float(x)))); },
                             [](f32x4 v) {
                               const f32x4 one = simd::splat(1.0f);
                               return simd::div(one, simd::add(one, simd::exp(simd::sub(simd::zero(), v))));
                             },
                             true);
      case UnaryOp::Gelu:
        return unary_loop<T>(loop,
                             [](T x) {
                               const float f = float(x);
                               return T(0.5f * f * (1.0f + std::erf(f * 0.70710678118654752f)));
                             },
                             kNoVec, false);
      case UnaryOp::Clamp: {
        // min(max(x, lo), hi) as PyTorch's vec::clamp (minps(hi, maxps(lo, x))): NaN stays NaN,
        // lo > hi gives hi, clamp(-0, min=0) is -0, and a single NaN bound is ignored (the op
        // fills NaN when both bounds are given and one is NaN).
        if constexpr (std::is_same<T, float>::value) {
          const float lo = float(p0), hi = float(p1);
          const f32x4 vlo = simd::splat(lo), vhi = simd::splat(hi);
          return unary_loop<T>(loop, [=](float x) { return keep_pmin(keep_pmax(x, lo), hi); },
                               [=](f32x4 v) { return simd::pmin(simd::pmax(v, vlo), vhi); }, true);
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

void unary_lane(const Tensor& out, const Tensor& in, FloatLane fn) {
  StridedLoop loop({&out, &in});
  unary_loop<float>(loop, fn, kNoVec, false);
}

}  // namespace kernels
}  // namespace webtorch
