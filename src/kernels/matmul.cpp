#include "kernels/matmul.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/simd.h"

namespace webtorch {
namespace kernels {

// Note [GEMM blocking]
// B is packed per KC x NR panel and A per MR x KC panel so the micro-kernel reads both
// sequentially; the micro-kernel keeps an MR x NR = 4 x 8 block of C in eight 4-lane
// accumulators. K is blocked by KC so a packed B panel stays in cache. The sum over k runs
// in increasing k within a block and blocks in order: deterministic per build.

namespace {

constexpr int64_t MR = 4;
constexpr int64_t NR = 8;
constexpr int64_t KC = 256;
constexpr int64_t MC = 64;

// Packs B[k0:k0+kc, 0:N] as ceil(N/NR) panels of kc x NR, zero-padded.
void pack_b(const float* B, int64_t b_row, int64_t b_col, int64_t k0, int64_t kc, int64_t N,
            float* dst) {
  for (int64_t j0 = 0; j0 < N; j0 += NR) {
    const int64_t nr = std::min(NR, N - j0);
    for (int64_t k = 0; k < kc; ++k) {
      const float* src = B + (k0 + k) * b_row + j0 * b_col;
      int64_t j = 0;
      if (b_col == 1) {
        for (; j < nr; ++j) dst[j] = src[j];
      } else {
        for (; j < nr; ++j) dst[j] = src[j * b_col];
      }
      for (; j < NR; ++j) dst[j] = 0.0f;
      dst += NR;
    }
  }
}

// Packs A[i0:i0+mc, k0:k0+kc] as ceil(mc/MR) panels of kc x MR (k-major), zero-padded.
void pack_a(const float* A, int64_t a_row, int64_t a_col, int64_t i0, int64_t mc, int64_t k0,
            int64_t kc, float* dst) {
  for (int64_t ii = 0; ii < mc; ii += MR) {
    const int64_t mr = std::min(MR, mc - ii);
    for (int64_t k = 0; k < kc; ++k) {
      int64_t i = 0;
      for (; i < mr; ++i) dst[i] = A[(i0 + ii + i) * a_row + (k0 + k) * a_col];
      for (; i < MR; ++i) dst[i] = 0.0f;
      dst += MR;
    }
  }
}

// C[0:mr, 0:nr] (+)= packedA (kc x MR) @ packedB (kc x NR).
void micro_kernel(int64_t kc, const float* a, const float* b, float* C, int64_t ldc, int64_t mr,
                  int64_t nr, bool accumulate) {
  using simd::f32x4;
  f32x4 c00 = simd::zero(), c01 = simd::zero(), c10 = simd::zero(), c11 = simd::zero();
  f32x4 c20 = simd::zero(), c21 = simd::zero(), c30 = simd::zero(), c31 = simd::zero();
  for (int64_t k = 0; k < kc; ++k, a += MR, b += NR) {
    const f32x4 b0 = simd::load(b), b1 = simd::load(b + 4);
    const f32x4 a0 = simd::splat(a[0]), a1 = simd::splat(a[1]);
    const f32x4 a2 = simd::splat(a[2]), a3 = simd::splat(a[3]);
    c00 = simd::madd(a0, b0, c00);
    c01 = simd::madd(a0, b1, c01);
    c10 = simd::madd(a1, b0, c10);
    c11 = simd::madd(a1, b1, c11);
    c20 = simd::madd(a2, b0, c20);
    c21 = simd::madd(a2, b1, c21);
    c30 = simd::madd(a3, b0, c30);
    c31 = simd::madd(a3, b1, c31);
  }
  float tile[MR * NR];
  simd::store(tile + 0, c00);
  simd::store(tile + 4, c01);
  simd::store(tile + 8, c10);
  simd::store(tile + 12, c11);
  simd::store(tile + 16, c20);
  simd::store(tile + 20, c21);
  simd::store(tile + 24, c30);
  simd::store(tile + 28, c31);
  for (int64_t i = 0; i < mr; ++i) {
    float* c = C + i * ldc;
    const float* t = tile + i * NR;
    if (accumulate) {
      for (int64_t j = 0; j < nr; ++j) c[j] += t[j];
    } else {
      for (int64_t j = 0; j < nr; ++j) c[j] = t[j];
    }
  }
}

}  // namespace

void gemm(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
          const float* B, int64_t b_row, int64_t b_col, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int64_t i = 0; i < M; ++i) std::memset(C + i * ldc, 0, size_t(N) * sizeof(float));
    return;
  }
  const int64_t n_panels = (N + NR - 1) / NR;
  std::vector<float> packed_b(size_t(n_panels * NR * std::min(K, KC)));
  std::vector<float> packed_a(size_t(((std::min(M, MC) + MR - 1) / MR) * MR * std::min(K, KC)));
  for (int64_t k0 = 0; k0 < K; k0 += KC) {
    const int64_t kc = std::min(KC, K - k0);
    pack_b(B, b_row, b_col, k0, kc, N, packed_b.data());
    for (int64_t i0 = 0; i0 < M; i0 += MC) {
      const int64_t mc = std::min(MC, M - i0);
      pack_a(A, a_row, a_col, i0, mc, k0, kc, packed_a.data());
      for (int64_t ii = 0; ii < mc; ii += MR) {
        const float* pa = packed_a.data() + (ii / MR) * MR * kc;
        for (int64_t j0 = 0; j0 < N; j0 += NR) {
          const float* pb = packed_b.data() + (j0 / NR) * NR * kc;
          micro_kernel(kc, pa, pb, C + (i0 + ii) * ldc + j0, ldc, std::min(MR, mc - ii),
                       std::min(NR, N - j0), k0 > 0);
        }
      }
    }
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
