#pragma once
// exp and tanh for float32 in the SIMD vocabulary (kernels/simd.h): each a lane function and
// its f32x4 form, one algorithm, so a result never depends on its position in a loop.

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/simd.h"

namespace webtorch {
namespace simd {

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

inline f32x4 tanh(f32x4 a) { return f32x4{{tanh_lane(a.v[0]), tanh_lane(a.v[1]), tanh_lane(a.v[2]), tanh_lane(a.v[3])}}; }
template <bool kNonPositive = false>
inline f32x4 exp(f32x4 a) { return f32x4{{exp_lane(a.v[0]), exp_lane(a.v[1]), exp_lane(a.v[2]), exp_lane(a.v[3])}}; }
inline f32x4 exp_normal(f32x4 a) { return exp(a); }

#endif

}  // namespace simd
}  // namespace webtorch
