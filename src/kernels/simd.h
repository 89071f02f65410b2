#pragma once
// The SIMD vocabulary every kernel uses: four float32 lanes.
//
// Note [SIMD and its scalar twin]
// With -msimd128 the names map to wasm SIMD128; otherwise to a plain struct of four floats
// with the same semantics, so every kernel is written once and both wasm builds (and the
// native build) run the same algorithm. Lanes combine in a fixed order (hsum adds lanes
// (0+2)+(1+3)), so each build is deterministic; the SIMD and scalar builds may round
// differently only where the compiler contracts or reorders scalar code, which we do not ask for.
// Baseline wasm SIMD has no fused multiply-add: madd is a multiply then an add.

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define WEBTORCH_SIMD 1
#else
#include <cmath>
#define WEBTORCH_SIMD 0
#endif

namespace webtorch {
namespace simd {

// Note [Pointer-stepped loops]
// emcc passes -mllvm -disable-lsr (no loop strength reduction), so a loop that indexes p + i
// with an int64_t i recomputes every address from i on each access (wrap to 32 bits, shift,
// add). Hot contiguous loops do four vectors per iteration and either step their pointers
// (unary, softmax rows) or index with a size_t, 32 bits in wasm32 (same-shape binary):
// whichever measured faster in Node 20 for that loop. relu over 1M floats in a standalone
// wasm module: one vector per int64-indexed iteration 158 us, four pointer-stepped 84 us.

// Note [Vectorised exp]
// exp(x) for float32 in the simd vocabulary, one algorithm for the f32x4 form and its
// scalar twin exp_lane (loop tails use exp_lane, so a result never depends on its index):
//   1. x is clamped to [-104, 89] with pmin/pmax, which keep NaN (exp(-104) rounds to 0,
//      exp(89) overflows to inf, so -inf -> 0 and +inf -> inf come out of the arithmetic).
//   2. n = round(x / ln2) by adding 1.5 * 2^23 + 254 (round to nearest even, no
//      conversion); the low bits of that sum t are k = n + 254 as an integer.
//   3. r = x - n * ln2 with ln2 in two parts (kLn2Hi has 15 significant bits, so n * kLn2Hi
//      is exact for |n| <= 151); |r| <= ~0.347.
//   4. exp(r) = 1 + (r + r^2 * P(r)), P of degree 4 (degree 6 overall), fitted near-minimax
//      for relative error on |r| <= 0.354: 5.7e-9 with the float32 coefficients below.
//   5. The result is p * 2^n1 * 2^n2, n1 = floor(n / 2), n2 = n - n1: both factors are normal
//      for every n in [-150, 128], the first product is exact and the second rounds once, so
//      subnormal results are correctly scaled and overflow gives inf. The factors' bits are
//      (n1 + 127) << 23 = (bits(t) >> 1) << 23 and (n2 + 127) << 23 = (bits(t) << 23) minus
//      that: the shifts drop the bits of 1.5 * 2^23, and k = n + 254 keeps both biases.
// Measured against double-precision exp over every float32 in [-104, 89] (2,239,889,410
// inputs, natively, the scalar twin): 2,221,671,398 (99.2 %) correctly rounded, the rest
// within 0.98 ulp (the worst at x = -5.86): at most 1 ulp, inside the 2-ulp budget; subnormal
// results within 0.75 of the subnormal spacing. tests/cpp/kernels_math_test.cpp sweeps every
// 97th input and checks the f32x4 form equals exp_lane lane for lane. PyTorch's own
// vectorised exp (Sleef's 1-ulp expf) is not correctly rounded either, so a result can differ
// from PyTorch's in the last bit; fixtures compare at rtol 1e-5 (tests/fixtures/README.md).
namespace exp_constants {
constexpr float kLo = -104.0f, kHi = 89.0f;
constexpr float kLog2e = 1.44269502f;
constexpr float kRound = 12583166.0f;  // 1.5 * 2^23 + 254
constexpr float kLn2Hi = 0.693145751953125f;      // 0x3f317200
constexpr float kLn2Lo = 1.42860677e-06f;         // ln 2 - kLn2Hi
constexpr float kP0 = 0.49999994f, kP1 = 0.16666509f, kP2 = 0.041668531f, kP3 = 0.0083701406f,
                kP4 = 0.0013811651f;
constexpr float kNormalLo = -87.0f;  // x >= kNormalLo: n = round(x / ln2) >= -126 (exp_normal)
}  // namespace exp_constants

// relu of one float as PyTorch's clamp_min(x, 0): NaN stays, -0 stays, other negatives are +0.
// Written on the bits: clang 14 folds `x < 0.0f ? 0.0f : x` (and every select form of it)
// into wasm's f32.max, which turns -0 into +0.
inline float relu_lane(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return (b > 0x80000000u && b <= 0xff800000u) ? 0.0f : x;  // negative, nonzero, not NaN
}

// Note [maximum and minimum as PyTorch's], one lane.
inline float maximum_lane(float a, float b) {
  if (a != a || b != b) return NAN;
  return a < b ? b : a;
}
inline float minimum_lane(float a, float b) {
  if (a != a || b != b) return NAN;
  return b < a ? b : a;
}

inline float exp_lane(float x) {
  using namespace exp_constants;
  x = x < kLo ? kLo : x;  // NaN compares false and stays
  x = kHi < x ? kHi : x;
  const float t = x * kLog2e + kRound;
  const float n = t - kRound;
  float r = x - n * kLn2Hi;
  r = r - n * kLn2Lo;
  const float p = 1.0f + (r + (r * r) * ((((kP4 * r + kP3) * r + kP2) * r + kP1) * r + kP0));
  uint32_t tb;
  std::memcpy(&tb, &t, sizeof tb);
  const uint32_t b1 = (tb >> 1) << 23, b2 = (tb << 23) - b1;
  float s1, s2;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  return (p * s1) * s2;
}

// Note [Vectorised tanh]
// tanh(x) = copysign(t(|x|), x): for |x| < 0.625, t(a) = a + a * a^2 * Q(a^2), Q of degree 4
// fitted near-minimax for relative error (8.6e-9 with the float32 coefficients); above,
// t(a) = 1 - 2 / (exp(2a) + 1) with Note [Vectorised exp] (no cancellation worse than ~2x:
// t >= 0.55 there). NaN takes the second form and stays NaN; +-inf give +-1; -0 gives -0.
// Against double tanh over every 61st float32 (70,134,264 inputs, natively, the scalar twin):
// 99.8 % correctly rounded, at most 1.30 ulp (just above 0.625); tests/cpp keeps that sweep.
// Above kSaturate it is exactly +-1, as PyTorch's (Sleef's tanhf, x86 AVX2/AVX-512 builds):
// the correctly rounded value is 1 - 2^-24 up to 9.0109, and tanh's gradient 1 - y^2 would then
// be 1.2e-7 where PyTorch's is exactly 0.
namespace tanh_constants {
constexpr float kSmall = 0.625f;
constexpr float kSaturate = 8.664339742f;
constexpr float kQ0 = -0.33333281f, kQ1 = 0.13331442f, kQ2 = -0.053739715f, kQ3 = 0.020639088f,
                kQ4 = -0.0057049873f;
}  // namespace tanh_constants

inline float tanh_lane(float x) {
  using namespace tanh_constants;
  const float a = std::fabs(x);
  float t;
  if (a < kSmall) {
    const float z = a * a;
    t = a + (a * z) * ((((kQ4 * z + kQ3) * z + kQ2) * z + kQ1) * z + kQ0);
  } else {
    t = a > kSaturate ? 1.0f : 1.0f - 2.0f / (exp_lane(a + a) + 1.0f);
  }
  return std::copysign(t, x);
}

#if WEBTORCH_SIMD

using f32x4 = v128_t;
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f32x4 v) { wasm_v128_store(p, v); }
inline f32x4 splat(float x) { return wasm_f32x4_splat(x); }
inline f32x4 zero() { return wasm_f32x4_splat(0.0f); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
inline f32x4 div(f32x4 a, f32x4 b) { return wasm_f32x4_div(a, b); }
// PyTorch's maximum/minimum propagate NaN; relu(NaN) is NaN too.
inline f32x4 max(f32x4 a, f32x4 b) { return wasm_f32x4_max(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return wasm_f32x4_min(a, b); }
// Pseudo-max/min, one x64 instruction each: pmax(a, b) = a < b ? b : a, pmin(a, b) =
// b < a ? b : a. With the kept operand first they give PyTorch's clamp / relu exactly
// (x86 maxps(bound, x)): a NaN a stays, a NaN b is ignored, pmax(-0, +0) is -0.
inline f32x4 pmax(f32x4 a, f32x4 b) { return wasm_f32x4_pmax(a, b); }
inline f32x4 pmin(f32x4 a, f32x4 b) { return wasm_f32x4_pmin(a, b); }
// Note [maximum and minimum as PyTorch's]
// torch.maximum / minimum per element are `a != a || b != b ? NaN : std::max(a, b)` (or
// std::min): NaN when either side is NaN, else the first operand unless the second is strictly
// larger (smaller), so maximum(+0, -0) is +0 and maximum(-0, +0) is -0. That is pmax / pmin
// with the unordered lanes forced to NaN (all ones, as torch's vectorised form). wasm's
// f32x4.max / min order the zeros instead (max(-0, +0) is +0), so they do not serve.
// (PyTorch's AVX2 loop returns the second operand on a tie of zeros, its scalar tail the first:
// webtorch pins the scalar form, torch's answer for tensors of fewer than 16 elements.)
inline f32x4 maximum(f32x4 a, f32x4 b) {
  return wasm_v128_or(wasm_f32x4_pmax(a, b), wasm_v128_or(wasm_f32x4_ne(a, a), wasm_f32x4_ne(b, b)));
}
inline f32x4 minimum(f32x4 a, f32x4 b) {
  return wasm_v128_or(wasm_f32x4_pmin(a, b), wasm_v128_or(wasm_f32x4_ne(a, a), wasm_f32x4_ne(b, b)));
}
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
inline float hsum(f32x4 v) {
  const f32x4 s = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1);
}
inline f32x4 abs(f32x4 a) { return wasm_f32x4_abs(a); }
// Flips the sign bit: neg(+0) is -0 (0 - x would give +0).
inline f32x4 neg(f32x4 a) { return wasm_f32x4_neg(a); }
inline f32x4 sqrt(f32x4 a) { return wasm_f32x4_sqrt(a); }
// Lanes combine as max(max(0, 2), max(1, 3)), NaN-propagating like max.
inline float hmax(f32x4 v) {
  const f32x4 m = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(wasm_f32x4_max(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2)), 0);
}
inline float hmin(f32x4 v) {
  const f32x4 m = wasm_f32x4_min(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(wasm_f32x4_min(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2)), 0);
}
// relu_lane on four lanes: pmax(x, 0) = x < 0 ? 0 : x.
inline f32x4 relu(f32x4 x) { return wasm_f32x4_pmax(x, wasm_f32x4_splat(0.0f)); }
// Steps 2-4 of Note [Vectorised exp]: exp(r) for a clamped x, and t, whose low bits are n + 254.
inline f32x4 exp_reduced(f32x4 x, f32x4* t_out) {
  using namespace exp_constants;
  const f32x4 round = wasm_f32x4_splat(kRound);
  const f32x4 t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(kLog2e)), round);
  const f32x4 n = wasm_f32x4_sub(t, round);
  f32x4 r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(kLn2Hi)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(kLn2Lo)));
  f32x4 q = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(kP4), r), wasm_f32x4_splat(kP3));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(kP2));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(kP1));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, r), wasm_f32x4_splat(kP0));
  *t_out = t;
  return wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_add(r, wasm_f32x4_mul(wasm_f32x4_mul(r, r), q)));
}
// Note [Vectorised exp], lane for lane exp_lane. kNonPositive: the caller guarantees every
// lane is <= 0 or NaN (softmax's x - max), so the upper clamp, a no-op there, is skipped.
template <bool kNonPositive = false>
inline f32x4 exp(f32x4 x) {
  using namespace exp_constants;
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(kLo));
  if (!kNonPositive) x = wasm_f32x4_pmin(x, wasm_f32x4_splat(kHi));
  f32x4 t;
  const f32x4 p = exp_reduced(x, &t);
  const f32x4 s1 = wasm_i32x4_shl(wasm_u32x4_shr(t, 1), 23);
  const f32x4 s2 = wasm_i32x4_sub(wasm_i32x4_shl(t, 23), s1);
  return wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
}
// exp_lane's bits for lanes in [kNormalLo, 0] or NaN (the caller checks; softmax rows whose
// range is within 87 of their max). There n >= -126, so p * 2^n is p * 2^n1 * 2^n2 rounded once,
// the same value: one scale factor (n + 127) << 23 = (bits(t) << 23) - (127 << 23), no clamp.
inline f32x4 exp_normal(f32x4 x) {
  f32x4 t;
  const f32x4 p = exp_reduced(x, &t);
  return wasm_f32x4_mul(p, wasm_i32x4_sub(wasm_i32x4_shl(t, 23), wasm_i32x4_splat(127 << 23)));
}
// Note [Vectorised tanh], lane for lane tanh_lane.
inline f32x4 tanh(f32x4 x) {
  using namespace tanh_constants;
  const f32x4 a = wasm_f32x4_abs(x);
  const f32x4 z = wasm_f32x4_mul(a, a);
  f32x4 q = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(kQ4), z), wasm_f32x4_splat(kQ3));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kQ2));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kQ1));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kQ0));
  const f32x4 small = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_mul(a, z), q));
  const f32x4 one = wasm_f32x4_splat(1.0f);
  const f32x4 large = wasm_f32x4_sub(
      one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(exp(wasm_f32x4_add(a, a)), one)));
  const f32x4 saturated = wasm_v128_bitselect(one, large, wasm_f32x4_gt(a, wasm_f32x4_splat(kSaturate)));
  const f32x4 t = wasm_v128_bitselect(small, saturated, wasm_f32x4_lt(a, wasm_f32x4_splat(kSmall)));
  return wasm_v128_bitselect(x, t, wasm_i32x4_splat(int32_t(0x80000000u)));  // copysign(t, x)
}

#else

struct f32x4 {
  float v[4];
};
inline f32x4 load(const float* p) { return f32x4{{p[0], p[1], p[2], p[3]}}; }
inline void store(float* p, f32x4 a) {
  p[0] = a.v[0];
  p[1] = a.v[1];
  p[2] = a.v[2];
  p[3] = a.v[3];
}
inline f32x4 splat(float x) { return f32x4{{x, x, x, x}}; }
inline f32x4 zero() { return splat(0.0f); }
#define WEBTORCH_LANEWISE(name, expr)                      \
  inline f32x4 name(f32x4 a, f32x4 b) {                    \
    f32x4 r;                                               \
    for (int i = 0; i < 4; ++i) {                          \
      const float x = a.v[i], y = b.v[i];                  \
      r.v[i] = (expr);                                     \
    }                                                      \
    return r;                                              \
  }
WEBTORCH_LANEWISE(add, x + y)
WEBTORCH_LANEWISE(sub, x - y)
WEBTORCH_LANEWISE(mul, x * y)
WEBTORCH_LANEWISE(div, x / y)
// Like wasm's f32x4.max/min: NaN propagates, and max(+0, -0) is +0, min is -0.
WEBTORCH_LANEWISE(max, (std::isnan(x) || std::isnan(y)) ? x + y : (x == y ? (std::signbit(x) ? y : x) : (x > y ? x : y)))
WEBTORCH_LANEWISE(min, (std::isnan(x) || std::isnan(y)) ? x + y : (x == y ? (std::signbit(x) ? x : y) : (x < y ? x : y)))
// wasm's pmax/pmin, see the SIMD form. With a constant +0 bound clang 14 folds these into
// f32.max/min (losing -0): relu uses relu_lane.
WEBTORCH_LANEWISE(pmax, x < y ? y : x)
WEBTORCH_LANEWISE(pmin, y < x ? y : x)
// Note [maximum and minimum as PyTorch's]
WEBTORCH_LANEWISE(maximum, maximum_lane(x, y))
WEBTORCH_LANEWISE(minimum, minimum_lane(x, y))
#undef WEBTORCH_LANEWISE
inline f32x4 madd(f32x4 a, f32x4 b, f32x4 c) { return add(mul(a, b), c); }
inline float hsum(f32x4 a) { return (a.v[0] + a.v[2]) + (a.v[1] + a.v[3]); }
inline f32x4 abs(f32x4 a) { return f32x4{{std::fabs(a.v[0]), std::fabs(a.v[1]), std::fabs(a.v[2]), std::fabs(a.v[3])}}; }
inline f32x4 neg(f32x4 a) { return f32x4{{-a.v[0], -a.v[1], -a.v[2], -a.v[3]}}; }
inline f32x4 sqrt(f32x4 a) { return f32x4{{std::sqrt(a.v[0]), std::sqrt(a.v[1]), std::sqrt(a.v[2]), std::sqrt(a.v[3])}}; }
inline float hmax(f32x4 a) {
  const f32x4 m = max(a, f32x4{{a.v[2], a.v[3], a.v[0], a.v[1]}});
  return max(m, f32x4{{m.v[1], m.v[0], m.v[3], m.v[2]}}).v[0];
}
inline float hmin(f32x4 a) {
  const f32x4 m = min(a, f32x4{{a.v[2], a.v[3], a.v[0], a.v[1]}});
  return min(m, f32x4{{m.v[1], m.v[0], m.v[3], m.v[2]}}).v[0];
}
inline f32x4 relu(f32x4 a) { return f32x4{{relu_lane(a.v[0]), relu_lane(a.v[1]), relu_lane(a.v[2]), relu_lane(a.v[3])}}; }
inline f32x4 tanh(f32x4 a) { return f32x4{{tanh_lane(a.v[0]), tanh_lane(a.v[1]), tanh_lane(a.v[2]), tanh_lane(a.v[3])}}; }
template <bool kNonPositive = false>
inline f32x4 exp(f32x4 a) { return f32x4{{exp_lane(a.v[0]), exp_lane(a.v[1]), exp_lane(a.v[2]), exp_lane(a.v[3])}}; }
inline f32x4 exp_normal(f32x4 a) { return exp(a); }

#endif

// What the build calls itself, for torch.backend and tests.
constexpr const char* kBackendName = WEBTORCH_SIMD ? "wasm-simd" : "wasm";

}  // namespace simd
}  // namespace webtorch
