#include "kernels/unary.h"

#include <cmath>
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

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& in, double p0, double p1) {
  StridedLoop loop({&out, &in});
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
      case UnaryOp::Neg:
        return unary_loop<T>(loop, [](T x) { return T(-x); },
                             [](f32x4 v) { return simd::sub(simd::zero(), v); }, true);
      case UnaryOp::Relu:
        return unary_loop<T>(loop, [](T x) { return (std::isnan(double(x)) || x > T(0)) ? x : T(0); },
                             [](f32x4 v) { return simd::max(v, simd::zero()); }, true);
      case UnaryOp::Abs:
        return unary_loop<T>(loop, [](T x) { return x < T(0) ? T(-x) : x; }, kNoVec, false);
      case UnaryOp::Exp:
        return unary_loop<T>(loop, [](T x) { return T(std::exp(float(x))); }, kNoVec, false);
      case UnaryOp::Log:
        return unary_loop<T>(loop, [](T x) { return T(std::log(float(x))); }, kNoVec, false);
      case UnaryOp::Sqrt:
        return unary_loop<T>(loop, [](T x) { return T(std::sqrt(float(x))); }, kNoVec, false);
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
        const bool has_lo = !std::isinf(p0) || p0 > 0, has_hi = !std::isinf(p1) || p1 < 0;
        const T lo = has_lo ? T(p0) : T(0), hi = has_hi ? T(p1) : T(0);
        return unary_loop<T>(loop,
                             [=](T x) {
                               if (std::isnan(double(x))) return x;
                               T r = x;
                               if (has_lo && r < lo) r = lo;
                               if (has_hi && r > hi) r = hi;
                               return r;
                             },
                             kNoVec, false);
      }
      case UnaryOp::LogicalNot:
        return unary_loop<T>(loop, [](T x) { return T(!x); }, kNoVec, false);
    }
  });
}

}  // namespace kernels
}  // namespace webtorch
