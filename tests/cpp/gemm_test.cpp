// kernels::gemm against a double-precision reference, on every path of Note [GEMM
// blocking]: ragged edges around MR, NR, KC, MC and NC, strided and transposed operands,
// the M = 1 / N = 1 fast paths, K = 0; and Note [GEMM determinism]: the same call twice is
// bit-identical, whatever ran in between.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/matmul.h"

using webtorch::kernels::gemm;

namespace {

struct Layout {
  bool a_transposed;  // A stored as A^T (column-major)
  bool b_transposed;
};

std::vector<float> values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = float(int32_t(seed >> 8) % 2001 - 1000) / 1000.0f;
  }
  return v;
}

// Runs gemm on MxK @ KxN with the given layout and a C row stride > N, and checks every
// element against the reference with a tolerance scaled by K; the padding of C stays untouched.
void check(int64_t M, int64_t N, int64_t K, Layout layout) {
  const std::vector<float> a = values(size_t(M * K) + 1, uint32_t(M * 131 + K));
  const std::vector<float> b = values(size_t(K * N) + 1, uint32_t(N * 17 + K * 3));
  const int64_t a_row = layout.a_transposed ? 1 : K, a_col = layout.a_transposed ? M : 1;
  const int64_t b_row = layout.b_transposed ? 1 : N, b_col = layout.b_transposed ? K : 1;
  const int64_t ldc = N + 3;
  std::vector<float> c(size_t(M * ldc) + 1, 12345.0f);
  gemm(M, N, K, a.data(), a_row, a_col, b.data(), b_row, b_col, c.data(), ldc);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0, mag = 0;
      for (int64_t k = 0; k < K; ++k) {
        const double p = double(a[size_t(i * a_row + k * a_col)]) * double(b[size_t(k * b_row + j * b_col)]);
        ref += p;
        mag += std::fabs(p);
      }
      ASSERT_NEAR(c[size_t(i * ldc + j)], ref, 1e-6 * mag * double(K) + 1e-6)
          << "M=" << M << " N=" << N << " K=" << K << " at (" << i << ", " << j << ")";
    }
    for (int64_t j = N; j < ldc && i + 1 < M; ++j) ASSERT_EQ(c[size_t(i * ldc + j)], 12345.0f) << "wrote past N";
  }
}

}  // namespace

TEST(Gemm, RaggedEdgesEveryLayout) {
  const int64_t sizes[] = {1, 2, 5, 6, 7, 8, 9, 13, 17, 33};
  for (int at = 0; at < 2; ++at)
    for (int bt = 0; bt < 2; ++bt)
      for (int64_t M : sizes)
        for (int64_t N : sizes)
          for (int64_t K : {int64_t(1), int64_t(3), int64_t(8), int64_t(19)}) check(M, N, K, {at == 1, bt == 1});
}

TEST(Gemm, BlockBoundaries) {
  // Across KC (256), MC (96) and NR/MR multiples, both layouts of B (x @ W and x @ W.T).
  for (int bt = 0; bt < 2; ++bt) {
    check(97, 40, 257, {false, bt == 1});
    check(192, 24, 512, {false, bt == 1});
    check(100, 33, 600, {true, bt == 1});
  }
}

TEST(Gemm, WideBeyondNC) {
  check(7, 2048 + 9, 20, {false, false});
  check(3, 4100, 5, {false, true});
}

TEST(Gemm, VectorFastPaths) {
  for (int64_t K : {int64_t(1), int64_t(4), int64_t(15), int64_t(16), int64_t(17), int64_t(300)}) {
    for (int at = 0; at < 2; ++at)
      for (int bt = 0; bt < 2; ++bt) {
        check(1, 1, K, {at == 1, bt == 1});    // dot
        check(1, 37, K, {at == 1, bt == 1});   // row @ matrix
        check(41, 1, K, {at == 1, bt == 1});   // matrix @ column
      }
  }
}

TEST(Gemm, EmptyKWritesZeros) {
  std::vector<float> c(6, 7.0f);
  gemm(2, 3, 0, nullptr, 0, 1, nullptr, 3, 1, c.data(), 3);
  for (float v : c) EXPECT_EQ(v, 0.0f);
}

TEST(Gemm, DeterministicAcrossCalls) {
  const int64_t M = 70, N = 50, K = 700;
  const std::vector<float> a = values(size_t(M * K), 1), b = values(size_t(K * N), 2);
  std::vector<float> c1(size_t(M * N)), c2(size_t(M * N));
  gemm(M, N, K, a.data(), K, 1, b.data(), N, 1, c1.data(), N);
  // A larger call in between grows and overwrites the scratch arena.
  const std::vector<float> big = values(size_t(300 * 300), 3);
  std::vector<float> cb(size_t(300 * 300));
  gemm(300, 300, 300, big.data(), 300, 1, big.data(), 1, 300, cb.data(), 300);
  gemm(M, N, K, a.data(), K, 1, b.data(), N, 1, c2.data(), N);
  EXPECT_EQ(0, std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)));
}
