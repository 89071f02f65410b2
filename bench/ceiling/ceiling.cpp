// The wasm SIMD128 mul+add ceiling of this CPU: twelve independent f32x4 chains of
// acc = acc * m + a, in registers only (no memory traffic), so the loop is limited by the
// multiply and add units alone. Baseline wasm SIMD has no fused multiply-add, so one step
// of one chain is 8 flops (4 mul + 4 add) in two instructions, the same pair a GEMM
// micro-kernel issues per accumulator. Every benchmark kernel is reported as a fraction
// of this number. Built by bench/build.sh: emcc -O3 -msimd128 --no-entry.

#include <wasm_simd128.h>

#define CHAINS 12

// Runs `iters` steps of each chain and returns a value that depends on all of them (so
// nothing is optimised away). With m = a = 0.5 every chain converges to 1: no overflow,
// no denormals.
extern "C" __attribute__((used, visibility("default"))) float wt_ceiling(int iters, float m, float a) {
  const v128_t vm = wasm_f32x4_splat(m);
  const v128_t va = wasm_f32x4_splat(a);
  v128_t acc[CHAINS];
  for (int j = 0; j < CHAINS; ++j) acc[j] = wasm_f32x4_splat(float(j));
  for (int i = 0; i < iters; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < CHAINS; ++j) acc[j] = wasm_f32x4_add(wasm_f32x4_mul(acc[j], vm), va);
  }
  v128_t s = acc[0];
  for (int j = 1; j < CHAINS; ++j) s = wasm_f32x4_add(s, acc[j]);
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);
}

// Flops per iteration, for the JavaScript side.
extern "C" __attribute__((used, visibility("default"))) int wt_ceiling_flops_per_iter() { return CHAINS * 8; }
