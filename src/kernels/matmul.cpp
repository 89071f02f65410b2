#include "kernels/matmul.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "kernels/parallel.h"
#include "kernels/simd.h"

namespace webtorch {
namespace kernels {

// Note [GEMM blocking]
// The packed path is GotoBLAS's loop nest for one core with wasm SIMD128:
//   for jc (NC columns of B):  for pc (KC of K): pack B[pc, jc] as NR-wide panels
//     for ic (MC rows of A): pack A[ic, pc] as MR-tall panels
//       for jr (NR): for ir (MR): micro-kernel, an MR x NR block of C in registers
// The micro-kernel keeps MR x NR = 4 x 8 of C in eight f32x4 accumulators and per k issues
// two B loads, four A load-splats and eight mul + eight add (baseline wasm SIMD has no
// FMA). Measured in Node 20 on this CPU (bench/README.md), 4 x 8 runs at the wasm mul+add
// ceiling while 5 x 8 and 6 x 8 run at about half of it: V8 on x64 gives wasm fifteen
// vector registers (one is its scratch), and 6 x 8 needs twelve accumulators + two B + one A
// splat + one product, so it spills inside the loop. One packed B panel (KC x NR floats =
// 8 KB) stays in L1 while the MR-panels of the packed A block (MC x KC = 96 KB) stream from
// L2 (MC = 96 rows). Packed buffers live in one scratch arena that grows to the largest call
// and is reused (no heap allocation per call). Ragged edges are zero-padded in the packs and
// written through a small tile.
//
// Note [GEMM determinism]
// For given shapes and strides, every output element is summed in one fixed order: over k
// in increasing order inside a KC block, and the KC blocks in increasing order. The M = 1
// and N = 1 fast paths (gemv, dot) use their own fixed orders. Nothing depends on timing,
// alignment or earlier calls, so a build always gives bit-identical results for the same
// inputs; the SIMD and scalar builds share the algorithm (simd.h's scalar twin).
//
// Note [Bit-identical for every thread count]
// The threaded GEMM splits only the output: ranges of (MC-row block, NR-column panel) tiles,
// or of columns on the M = 1 / N = 1 paths. Every output element is still summed by one
// thread in the order of Note [GEMM determinism], so the result does not depend on the
// number of threads or on which thread ran which tile (Note [Kernel threads]). Each thread
// packs the A blocks of its tiles into its own scratch slot (packing is O(MC x KC) against
// O(MC x KC x NC) of arithmetic).

#if defined(__clang__)
#define WT_UNROLL _Pragma("clang loop unroll(full)")
#elif defined(__GNUC__)
#define WT_UNROLL _Pragma("GCC unroll 16")
#else
#define WT_UNROLL
#endif

namespace {

using simd::f32x4;

#ifndef WEBTORCH_GEMM_MR
#define WEBTORCH_GEMM_MR 4
#endif
constexpr int64_t MR = WEBTORCH_GEMM_MR;
constexpr int64_t NR = kGemmPanelWidth;
constexpr int64_t KC = 256;
constexpr int64_t MC = 96 / MR * MR;  // a multiple of MR
constexpr int64_t NC = 2048;   // a multiple of NR; bounds the packed-B part of the arena

// The reusable packing buffer of the calling thread (a kernel thread that runs a nested GEMM
// gets its own).
struct Arena {
  float* buffer = nullptr;
  size_t capacity = 0;
  ~Arena() { std::free(buffer); }
};

float* scratch(size_t floats) {
  thread_local Arena arena;
  if (floats > arena.capacity) {
    std::free(arena.buffer);
    arena.buffer = static_cast<float*>(std::malloc(floats * sizeof(float)));
    if (arena.buffer == nullptr) {
      arena.capacity = 0;
      throw std::bad_alloc();
    }
    arena.capacity = floats;
  }
  return arena.buffer;
}

// Below this many multiply-adds a product runs on one thread (waking the pool costs more).
constexpr int64_t kParallelWork = int64_t(1) << 16;

// The grain of a parallel_for over `units` of `work_per_unit` multiply-adds each.
int64_t grain_for(int64_t units, int64_t work_per_unit) {
  if (units * work_per_unit < kParallelWork) return units;
  return std::max<int64_t>(1, kParallelWork / 4 / std::max<int64_t>(work_per_unit, 1));
}

// Packs B[k0:k0+kc, j0:j0+nc] as ceil(nc/NR) panels of kc x NR, zero-padded.
void pack_b(const float* B, int64_t b_row, int64_t b_col, int64_t k0, int64_t kc, int64_t j0,
            int64_t nc, float* dst) {
  for (int64_t jp = 0; jp < nc; jp += NR) {
    const int64_t nr = std::min(NR, nc - jp);
    const float* src = B + k0 * b_row + (j0 + jp) * b_col;
    if (nr == NR && b_col == 1) {
      for (int64_t k = 0; k < kc; ++k, src += b_row, dst += NR) {
        simd::store(dst, simd::load(src));
        simd::store(dst + 4, simd::load(src + 4));
      }
    } else if (b_row == 1) {
      // Columns of B are contiguous (B is a transposed matrix, as in x @ W.T): read each
      // column along k, write it down the panel.
      for (int64_t j = 0; j < NR; ++j) {
        const float* col = src + j * b_col;
        if (j < nr) {
          for (int64_t k = 0; k < kc; ++k) dst[k * NR + j] = col[k];
        } else {
          for (int64_t k = 0; k < kc; ++k) dst[k * NR + j] = 0.0f;
        }
      }
      dst += kc * NR;
    } else {
      for (int64_t k = 0; k < kc; ++k, src += b_row, dst += NR) {
        int64_t j = 0;
        for (; j < nr; ++j) dst[j] = src[j * b_col];
        for (; j < NR; ++j) dst[j] = 0.0f;
      }
    }
  }
}

// Packs A[i0:i0+mc, k0:k0+kc] as ceil(mc/MR) panels of kc x MR (k-major), zero-padded.
void pack_a(const float* A, int64_t a_row, int64_t a_col, int64_t i0, int64_t mc, int64_t k0,
            int64_t kc, float* dst) {
  for (int64_t ip = 0; ip < mc; ip += MR) {
    const int64_t mr = std::min(MR, mc - ip);
    const float* src = A + (i0 + ip) * a_row + k0 * a_col;
    if (mr == MR && a_col == 1) {
      // Rows of A are contiguous: read MR rows side by side.
      for (int64_t k = 0; k < kc; ++k, dst += MR) {
WT_UNROLL
        for (int i = 0; i < MR; ++i) dst[i] = src[i * a_row + k];
      }
    } else {
      for (int64_t k = 0; k < kc; ++k, dst += MR) {
        int64_t i = 0;
        for (; i < mr; ++i) dst[i] = src[i * a_row + k * a_col];
        for (; i < MR; ++i) dst[i] = 0.0f;
      }
    }
  }
}

// C[0:mr, 0:nr] (+)= [bias[i] +] packedA (kc x MR) @ packedB (kc x NR); bias, when given,
// starts row i's sums (it has mr entries).
void micro_kernel(int64_t kc, const float* a, const float* b, float* C, int64_t ldc, int64_t mr,
                  int64_t nr, bool accumulate, const float* bias = nullptr) {
  f32x4 c0[MR], c1[MR];
WT_UNROLL
  for (int i = 0; i < MR; ++i) c0[i] = c1[i] = simd::zero();
  if (bias != nullptr) {
WT_UNROLL
    for (int i = 0; i < MR; ++i)
      if (i < mr) c0[i] = c1[i] = simd::splat(bias[i]);
  }
  for (int64_t k = 0; k < kc; ++k, a += MR, b += NR) {
    const f32x4 b0 = simd::load(b), b1 = simd::load(b + 4);
WT_UNROLL
    for (int i = 0; i < MR; ++i) {
      const f32x4 ai = simd::splat(a[i]);
      c0[i] = simd::madd(ai, b0, c0[i]);
      c1[i] = simd::madd(ai, b1, c1[i]);
    }
  }
  if (nr == NR) {
    for (int i = 0; i < MR; ++i) {
      if (i >= mr) break;
      float* c = C + i * ldc;
      if (accumulate) {
        simd::store(c, simd::add(simd::load(c), c0[i]));
        simd::store(c + 4, simd::add(simd::load(c + 4), c1[i]));
      } else {
        simd::store(c, c0[i]);
        simd::store(c + 4, c1[i]);
      }
    }
    return;
  }
  float tile[NR];
  for (int64_t i = 0; i < mr; ++i) {
    simd::store(tile, c0[i]);
    simd::store(tile + 4, c1[i]);
    float* c = C + i * ldc;
    if (accumulate) {
      for (int64_t j = 0; j < nr; ++j) c[j] += tile[j];
    } else {
      for (int64_t j = 0; j < nr; ++j) c[j] = tile[j];
    }
  }
}

void gemm_packed(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
                 const float* B, int64_t b_row, int64_t b_col, float* C, int64_t ldc) {
  const int64_t kc_max = std::min(K, KC);
  const int64_t nc_max = std::min((N + NR - 1) / NR * NR, NC);
  const int64_t mc_max = std::min((M + MR - 1) / MR * MR, MC);
  const int threads = num_threads();
  float* packed_b = scratch(size_t(kc_max * (nc_max + mc_max * threads)));
  const int64_t m_blocks = (M + MC - 1) / MC;
  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = std::min(NC, N - jc);
    const int64_t panels = (nc + NR - 1) / NR;
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min(KC, K - pc);
      parallel_for(panels, grain_for(panels, kc * NR), [&](int64_t first, int64_t last) {
        pack_b(B, b_row, b_col, pc, kc, jc + first * NR, std::min(last * NR, nc) - first * NR,
               packed_b + first * NR * kc);
      });
      // Tiles in (row block, panel) order: a range reuses its packed A block across panels.
      const int64_t tiles = m_blocks * panels;
      parallel_parts(tiles, grain_for(tiles, MC * NR * kc), [&](int slot, int64_t first, int64_t last) {
        float* packed_a = packed_b + kc_max * nc_max + slot * kc_max * mc_max;
        int64_t packed_block = -1;
        for (int64_t t = first; t < last; ++t) {
          const int64_t ic = t / panels * MC, jr = t % panels * NR;
          const int64_t mc = std::min(MC, M - ic);
          if (ic != packed_block) {
            pack_a(A, a_row, a_col, ic, mc, pc, kc, packed_a);
            packed_block = ic;
          }
          const float* pb = packed_b + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += MR) {
            micro_kernel(kc, packed_a + ir * kc, pb, C + (ic + ir) * ldc + jc + jr, ldc,
                         std::min(MR, mc - ir), std::min(NR, nc - jr), pc > 0);
          }
        }
      });
    }
  }
}

// ---- M = 1 and N = 1: no packing (it would cost as much as the product) ----

// Sum over k of x[k] * y[k] for contiguous x and y: sixteen partial sums, then a fixed tree.
float dot_contiguous(const float* x, const float* y, int64_t K) {
  f32x4 s0 = simd::zero(), s1 = simd::zero(), s2 = simd::zero(), s3 = simd::zero();
  int64_t k = 0;
  for (; k + 16 <= K; k += 16) {
    s0 = simd::madd(simd::load(x + k), simd::load(y + k), s0);
    s1 = simd::madd(simd::load(x + k + 4), simd::load(y + k + 4), s1);
    s2 = simd::madd(simd::load(x + k + 8), simd::load(y + k + 8), s2);
    s3 = simd::madd(simd::load(x + k + 12), simd::load(y + k + 12), s3);
  }
  for (; k + 4 <= K; k += 4) s0 = simd::madd(simd::load(x + k), simd::load(y + k), s0);
  float s = simd::hsum(simd::add(simd::add(s0, s1), simd::add(s2, s3)));
  for (; k < K; ++k) s += x[k] * y[k];
  return s;
}

// y[0:N] = sum over k of x[k * x_step] * B[k * b_row + 0:N] (rows of B contiguous).
void gemv_rows(int64_t N, int64_t K, const float* x, int64_t x_step, const float* B,
               int64_t b_row, float* y, int64_t y_step) {
  int64_t j = 0;
  for (; j + 16 <= N; j += 16) {
    f32x4 a0 = simd::zero(), a1 = simd::zero(), a2 = simd::zero(), a3 = simd::zero();
    const float* b = B + j;
    for (int64_t k = 0; k < K; ++k, b += b_row) {
      const f32x4 xv = simd::splat(x[k * x_step]);
      a0 = simd::madd(xv, simd::load(b), a0);
      a1 = simd::madd(xv, simd::load(b + 4), a1);
      a2 = simd::madd(xv, simd::load(b + 8), a2);
      a3 = simd::madd(xv, simd::load(b + 12), a3);
    }
    float out[16];
    simd::store(out, a0);
    simd::store(out + 4, a1);
    simd::store(out + 8, a2);
    simd::store(out + 12, a3);
    for (int64_t t = 0; t < 16; ++t) y[(j + t) * y_step] = out[t];
  }
  for (; j + 4 <= N; j += 4) {
    f32x4 a0 = simd::zero();
    const float* b = B + j;
    for (int64_t k = 0; k < K; ++k, b += b_row) a0 = simd::madd(simd::splat(x[k * x_step]), simd::load(b), a0);
    float out[4];
    simd::store(out, a0);
    for (int64_t t = 0; t < 4; ++t) y[(j + t) * y_step] = out[t];
  }
  for (; j < N; ++j) {
    float s = 0.0f;
    for (int64_t k = 0; k < K; ++k) s += x[k * x_step] * B[k * b_row + j];
    y[j * y_step] = s;
  }
}

// y[j * y_step] = dot(x, W + j * w_step) for j < N, x and the rows of W contiguous.
void gemv_dots(int64_t N, int64_t K, const float* x, const float* W, int64_t w_step, float* y,
               int64_t y_step) {
  for (int64_t j = 0; j < N; ++j) y[j * y_step] = dot_contiguous(x, W + j * w_step, K);
}

// The M = 1 / N = 1 paths over blocks of 16 outputs (the vector width of gemv_rows).
void gemv_parallel(int64_t N, int64_t K, const std::function<void(int64_t, int64_t)>& columns) {
  const int64_t blocks = (N + 15) / 16;
  parallel_for(blocks, grain_for(blocks, 16 * K), [&](int64_t first, int64_t last) {
    columns(first * 16, std::min(last * 16, N));
  });
}

}  // namespace

void gemm(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
          const float* B, int64_t b_row, int64_t b_col, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int64_t i = 0; i < M; ++i) std::memset(C + i * ldc, 0, size_t(N) * sizeof(float));
    return;
  }
  if (M == 1) {
    // A row times B: dot products down the columns of B when they are contiguous (x @ W.T
    // and the dot product), else one pass over the rows of B.
    if (b_row == 1 && a_col == 1)
      return gemv_parallel(N, K, [&](int64_t j0, int64_t j1) { gemv_dots(j1 - j0, K, A, B + j0 * b_col, b_col, C + j0, 1); });
    if (b_col == 1)
      return gemv_parallel(N, K, [&](int64_t j0, int64_t j1) { gemv_rows(j1 - j0, K, A, a_col, B + j0, b_row, C + j0, 1); });
  } else if (N == 1) {
    // A times a column: dots along the rows of A, or one pass over the columns of A.
    if (a_col == 1 && b_row == 1)
      return gemv_parallel(M, K, [&](int64_t i0, int64_t i1) { gemv_dots(i1 - i0, K, B, A + i0 * a_row, a_row, C + i0 * ldc, ldc); });
    if (a_row == 1)
      return gemv_parallel(M, K, [&](int64_t i0, int64_t i1) { gemv_rows(i1 - i0, K, B, b_row, A + i0, a_col, C + i0 * ldc, ldc); });
  }
  gemm_packed(M, N, K, A, a_row, a_col, B, b_row, b_col, C, ldc);
}

void gemm_panels(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
                 PackPanel pack, const void* source, const float* bias, bool accumulate, float* C,
                 int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int64_t i = 0; i < M; ++i) {
      float* c = C + i * ldc;
      const float v = bias != nullptr ? bias[i] : 0.0f;
      for (int64_t j = 0; j < N; ++j) c[j] = (accumulate ? c[j] : 0.0f) + v;
    }
    return;
  }
  // Note [GEMM blocking], with A packed whole per KC block (M is a convolution's output
  // channels, usually a few dozen rows) and B packed one NR-panel at a time, just before
  // the micro-kernels that use it, so the panel is still in L1.
  // The K blocks are at most KC_PANELS deep and of equal depth (no thin last block): the
  // packed panel (KC_PANELS x NR floats = 16 KB) stays in L1 beside the A panel in use.
  constexpr int64_t KC_PANELS = 512;
  const int64_t blocks = (K + KC_PANELS - 1) / KC_PANELS;
  const int64_t kc_max = (K + blocks - 1) / blocks;
  const int64_t m_pad = (M + MR - 1) / MR * MR;
  const int threads = num_threads();
  float* packed_a = scratch(size_t(kc_max * (m_pad + NR * threads)));
  const int64_t panels = (N + NR - 1) / NR;
  for (int64_t pc = 0; pc < K; pc += kc_max) {
    const int64_t kc = std::min(kc_max, K - pc);
    pack_a(A, a_row, a_col, 0, M, pc, kc, packed_a);
    // Chunks of panels, each packed into its thread's own slot (Note [Bit-identical for every
    // thread count]).
    parallel_parts(panels, grain_for(panels, m_pad * NR * kc), [&](int slot, int64_t first, int64_t last) {
      float* panel = packed_a + kc_max * m_pad + slot * kc_max * NR;
      for (int64_t jr = first * NR; jr < last * NR && jr < N; jr += NR) {
        const int64_t nr = std::min(NR, N - jr);
        pack(source, pc, kc, jr, nr, panel);
        for (int64_t ir = 0; ir < M; ir += MR) {
          micro_kernel(kc, packed_a + ir * kc, panel, C + ir * ldc + jr, ldc, std::min(MR, M - ir), nr,
                       accumulate || pc > 0, pc == 0 && bias != nullptr ? bias + ir : nullptr);
        }
      }
    });
  }
}

void gemm_int32(int64_t M, int64_t N, int64_t K, const int32_t* A, int64_t a_row, int64_t a_col,
                const int32_t* B, int64_t b_row, int64_t b_col, int32_t* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      uint32_t acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += uint32_t(A[i * a_row + k * a_col]) * uint32_t(B[k * b_row + j * b_col]);
      C[i * ldc + j] = int32_t(acc);
    }
}

}  // namespace kernels
}  // namespace webtorch
