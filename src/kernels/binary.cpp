#include "kernels/binary.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/convert.h"
#include "kernels/simd.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {

using simd::f32x4;

// Each op: a scalar form for every dtype and, for float, a 4-lane form.
// int32 arithmetic wraps around (two's complement), as PyTorch's does in practice,
// instead of being undefined behaviour.
inline int32_t wrap(uint32_t v) { return int32_t(v); }

// Note [a + alpha * b as one FMA]
// PyTorch's CPU kernels (AVX2 / NEON builds) evaluate add / sub with an alpha as one fused
// multiply-add, a + alpha * b rounded once: add(-FLT_MAX, FLT_MAX, alpha=2) is FLT_MAX, not the
// inf of a separate multiply. Baseline wasm has no FMA, so the float forms compute in double,
// where alpha * b is exact and the sum rounds before the final rounding to float (a second
// rounding that can differ from the FMA in the last bit, never in overflow or sign). alpha == 1
// (AddOneOp, SubOneOp) is a plain float add, as in PyTorch. No 4-lane form: the lanes would go
// through double anyway, and an alpha other than 1 is rare.
struct AddOp {
  template <class T>
  static T apply(T a, T b, T alpha) {
    if constexpr (std::is_same<T, bool>::value) return a || (alpha && b);
    else if constexpr (std::is_same<T, int32_t>::value) return wrap(uint32_t(a) + uint32_t(alpha) * uint32_t(b));
    else return T(double(a) + double(alpha) * double(b));
  }
  static constexpr bool kHasVec = false;
};
// add / sub with alpha == 1, the common case: a + 1 * b == a + b exactly in every dtype
// (including NaN, infinities and -0), so the multiply is skipped and results are the same.
struct AddOneOp {
  template <class T>
  static T apply(T a, T b, T alpha) {
    if constexpr (std::is_same<T, float>::value) return a + b;
    else return AddOp::apply(a, b, alpha);
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::add(a, b); }
};
struct SubOp {
  template <class T>
  static T apply(T a, T b, T alpha) {
    if constexpr (std::is_same<T, int32_t>::value) return wrap(uint32_t(a) - uint32_t(alpha) * uint32_t(b));
    else return T(double(a) - double(alpha) * double(b));  // Note [a + alpha * b as one FMA]
  }
  static constexpr bool kHasVec = false;
};
struct SubOneOp {
  template <class T>
  static T apply(T a, T b, T alpha) {
    if constexpr (std::is_same<T, float>::value) return a - b;
    else return SubOp::apply(a, b, alpha);
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::sub(a, b); }
};
struct MulOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_same<T, bool>::value) return a && b;
    else if constexpr (std::is_same<T, int32_t>::value) return wrap(uint32_t(a) * uint32_t(b));
    else return a * b;
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::mul(a, b); }
};
struct DivOp {
  template <class T>
  static T apply(T a, T b, T) { return T(a / b); }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::div(a, b); }
};
// Note [maximum and minimum as PyTorch's]: NaN if either is NaN, else std::max / std::min.
struct MaximumOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_floating_point<T>::value) return simd::maximum_lane(a, b);
    else return a < b ? b : a;
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::maximum(a, b); }
};
struct MinimumOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_floating_point<T>::value) return simd::minimum_lane(a, b);
    else return b < a ? b : a;
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::minimum(a, b); }
};
struct PowOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_same<T, float>::value) {
      return float(std::pow(double(a), double(b)));
    } else if constexpr (std::is_same<T, int32_t>::value) {
      // PyTorch's powi: a negative exponent gives 1, +-1 or 0 (the op layer refuses a negative
      // Python-number exponent before it gets here).
      if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b % 2) ? -1 : 1;
        return 0;
      }
      // Power by squaring with wrapping products.
      uint32_t result = 1, base = uint32_t(a);
      for (int32_t e = b; e > 0; e >>= 1) {
        if (e & 1) result *= base;
        base *= base;
      }
      return int32_t(result);
    } else {
      return b ? a : true;
    }
  }
  static constexpr bool kHasVec = false;
};
// Note [pow with a number exponent]
// torch.pow(tensor, number) on floats is not std::pow: PyTorch 1.13 dispatches 0.5 to sqrt,
// -0.5 to 1 / sqrt, -1 to 1 / x, and 2, 3, -2 to products (pow_tensor_scalar_kernel), which
// differ from std::pow at the edges: pow(-inf, 0.5) is NaN (std::pow: inf), pow(-0, -0.5) is
// -inf (std::pow: inf). A tensor exponent (and a number base) takes std::pow.
struct PowScalarOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_same<T, float>::value) {
      if (b == 0.5f) return std::sqrt(a);
      if (b == -0.5f) return 1.0f / std::sqrt(a);
      if (b == -1.0f) return 1.0f / a;
      if (b == 2.0f) return a * a;
      if (b == 3.0f) return a * a * a;
      if (b == -2.0f) return 1.0f / (a * a);
    }
    return PowOp::apply(a, b, b);
  }
  static constexpr bool kHasVec = false;
};
// The fused backward formulas. Only float32 reaches them; other types compile to a no-op.
struct TanhBackwardOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_same<T, float>::value) return a * (1.0f - b * b);
    else return a;
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::mul(a, simd::sub(simd::splat(1.0f), simd::mul(b, b))); }
};
struct SigmoidBackwardOp {
  template <class T>
  static T apply(T a, T b, T) {
    if constexpr (std::is_same<T, float>::value) return a * (1.0f - b) * b;
    else return a;
  }
  static f32x4 vec(f32x4 a, f32x4 b, f32x4) { return simd::mul(simd::mul(a, simd::sub(simd::splat(1.0f), b)), b); }
};
struct GeluBackwardOp {
  // PyTorch's GeluBackwardKernelImpl (approximate='none'), in float.
  template <class T>
  static T apply(T g, T x, T) {
    if constexpr (std::is_same<T, float>::value) {
      constexpr double kSqrt1_2 = 0.70710678118654752440;    // M_SQRT1_2
      constexpr double k2_SqrtPi = 1.12837916709551257390;   // M_2_SQRTPI
      constexpr float kAlpha = float(k2_SqrtPi * kSqrt1_2 * 0.5);
      const float cdf = 0.5f * (1.0f + std::erf(x * float(kSqrt1_2)));
      const float pdf = kAlpha * std::exp(x * x * -0.5f);
      return g * (cdf + x * pdf);
    } else {
      return g;
    }
  }
  static constexpr bool kHasVec = false;
};

template <class Op>
struct HasVec {
  template <class U>
  static constexpr bool test(decltype(U::kHasVec)*) { return U::kHasVec; }
  template <class U>
  static constexpr bool test(...) { return true; }
  static constexpr bool value = test<Op>(nullptr);
};

template <class Op, class T>
void binary_loop(const StridedLoop& loop, T alpha) {
  loop.run_elementwise([alpha](char** p, const int64_t* s, int64_t n) {
    int64_t i = 0;
    if constexpr (std::is_same<T, float>::value && HasVec<Op>::value) {
      float* out = reinterpret_cast<float*>(p[0]);
      const float* a = reinterpret_cast<const float*>(p[1]);
      const float* b = reinterpret_cast<const float*>(p[2]);
      const f32x4 va = simd::splat(alpha);
      if (s[0] == 4 && s[1] == 4 && s[2] == 4) {
        // Four vectors per iteration (loads first, so out may alias a or b exactly), indexed
        // by a size_t: Note [Pointer-stepped loops].
        const size_t count = size_t(n);
        size_t k = 0;
        for (; k + 16 <= count; k += 16) {
          const f32x4 a0 = simd::load(a + k), a1 = simd::load(a + k + 4), a2 = simd::load(a + k + 8),
                      a3 = simd::load(a + k + 12);
          const f32x4 b0 = simd::load(b + k), b1 = simd::load(b + k + 4), b2 = simd::load(b + k + 8),
                      b3 = simd::load(b + k + 12);
          simd::store(out + k, Op::vec(a0, b0, va));
          simd::store(out + k + 4, Op::vec(a1, b1, va));
          simd::store(out + k + 8, Op::vec(a2, b2, va));
          simd::store(out + k + 12, Op::vec(a3, b3, va));
        }
        for (; k + 4 <= count; k += 4) simd::store(out + k, Op::vec(simd::load(a + k), simd::load(b + k), va));
        for (; k < count; ++k) out[k] = Op::apply(a[k], b[k], alpha);
        return;
      }
      if (s[0] == 4 && s[1] == 4 && s[2] == 0) {
        const f32x4 vb = simd::splat(*b);
        const float* const stop4 = a + (n & ~int64_t(3));
        for (; a != stop4; a += 4, out += 4) simd::store(out, Op::vec(simd::load(a), vb, va));
        for (int64_t k = 0; k < (n & 3); ++k) out[k] = Op::apply(a[k], *b, alpha);
        return;
      }
      if (s[0] == 4 && s[1] == 0 && s[2] == 4) {
        const f32x4 vaa = simd::splat(*a);
        const float* const stop4 = b + (n & ~int64_t(3));
        for (; b != stop4; b += 4, out += 4) simd::store(out, Op::vec(vaa, simd::load(b), va));
        for (int64_t k = 0; k < (n & 3); ++k) out[k] = Op::apply(*a, b[k], alpha);
        return;
      }
    }
    char* out = p[0];
    const char* a = p[1];
    const char* b = p[2];
    for (; i < n; ++i, out += s[0], a += s[1], b += s[2]) {
      T x, y;
      std::memcpy(&x, a, sizeof(T));
      std::memcpy(&y, b, sizeof(T));
      const T r = Op::apply(x, y, alpha);
      std::memcpy(out, &r, sizeof(T));
    }
  });
}

template <class T, class Cmp>
void compare_loop(const StridedLoop& loop, Cmp cmp) {
  loop.run_elementwise([cmp](char** p, const int64_t* s, int64_t n) {
    char* out = p[0];
    const char* a = p[1];
    const char* b = p[2];
    for (int64_t i = 0; i < n; ++i, out += s[0], a += s[1], b += s[2]) {
      T x, y;
      std::memcpy(&x, a, sizeof(T));
      std::memcpy(&y, b, sizeof(T));
      *reinterpret_cast<bool*>(out) = cmp(x, y);
    }
  });
}

}  // namespace

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, Scalar alpha) {
  StridedLoop loop({&out, &a, &b});
  dispatch_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // Note [Defined conversions]: an integer alpha wraps into int32 as PyTorch's int64 does.
    T al;
    if constexpr (std::is_same<T, bool>::value) {
      al = alpha.to_double() != 0;
    } else if constexpr (std::is_same<T, int32_t>::value) {
      al = alpha.is_floating() ? float_to_int32(alpha.to_double()) : integer_to_int32(alpha.to_double());
    } else {
      al = T(alpha.to_double());
    }
    switch (op) {
      case BinaryOp::Add: return al == T(1) ? binary_loop<AddOneOp, T>(loop, al) : binary_loop<AddOp, T>(loop, al);
      case BinaryOp::Sub: return al == T(1) ? binary_loop<SubOneOp, T>(loop, al) : binary_loop<SubOp, T>(loop, al);
      case BinaryOp::Mul: return binary_loop<MulOp, T>(loop, al);
      case BinaryOp::Div: return binary_loop<DivOp, T>(loop, al);
      case BinaryOp::Pow: return binary_loop<PowOp, T>(loop, al);
      case BinaryOp::PowScalar: return binary_loop<PowScalarOp, T>(loop, al);
      case BinaryOp::Maximum: return binary_loop<MaximumOp, T>(loop, al);
      case BinaryOp::Minimum: return binary_loop<MinimumOp, T>(loop, al);
      case BinaryOp::Eq: return compare_loop<T>(loop, [](T x, T y) { return x == y; });
      case BinaryOp::Lt: return compare_loop<T>(loop, [](T x, T y) { return x < y; });
      case BinaryOp::Gt: return compare_loop<T>(loop, [](T x, T y) { return x > y; });
      case BinaryOp::Le: return compare_loop<T>(loop, [](T x, T y) { return x <= y; });
      case BinaryOp::Ge: return compare_loop<T>(loop, [](T x, T y) { return x >= y; });
      case BinaryOp::TanhBackward: return binary_loop<TanhBackwardOp, T>(loop, al);
      case BinaryOp::SigmoidBackward: return binary_loop<SigmoidBackwardOp, T>(loop, al);
      case BinaryOp::GeluBackward: return binary_loop<GeluBackwardOp, T>(loop, al);
    }
  });
}

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  StridedLoop loop({&out, &cond, &a, &b});
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    loop.run_elementwise([](char** p, const int64_t* s, int64_t n) {
      char* o = p[0];
      const char* c = p[1];
      const char* x = p[2];
      const char* y = p[3];
      for (int64_t i = 0; i < n; ++i, o += s[0], c += s[1], x += s[2], y += s[3])
        std::memcpy(o, *reinterpret_cast<const bool*>(c) ? x : y, sizeof(T));
    });
  });
}

}  // namespace kernels
}  // namespace webtorch
