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

#endif

// What the build calls itself, for torch.backend and tests.
constexpr const char* kBackendName = WEBTORCH_SIMD ? "wasm-simd" : "wasm";

}  // namespace simd
}  // namespace webtorch
