// The elementwise math kernels natively: Note [Vectorised exp] against double-precision exp
// (a dense sweep and the special values), the f32x4 form lane for lane equal to its scalar
// twin; relu / clamp with pmax / pmin on PyTorch 1.13's edge values (-0, NaN, NaN bounds);
// Note [Vectorised tanh] likewise; Note [Fused softmax] on every path (contiguous rows with ragged tails, four strided rows
// at once, single strided rows) against a double reference, NaN and infinity rows, and
// determinism.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/simd.h"
#include "kernels/vector_math.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {

float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

// |y - ref| in units of the float32 spacing at ref (the subnormal spacing below 2^-126).
double ulp_error(float y, double ref) {
  int e;
  std::frexp(ref, &e);
  const double spacing = ref < 0x1p-126 ? 0x1p-149 : std::ldexp(1.0, e - 24);
  return std::fabs(double(y) - ref) / spacing;
}

TEST(VectorisedExp, WithinOneUlpOverADenseSweep) {
  // Every 97th float32 in [-104, 89] (about 23 million inputs). The full sweep of all
  // 2,239,889,410 is in Note [Vectorised exp]: max 0.98 ulp.
  double worst = 0;
  float worst_x = 0;
  int64_t count = 0, exact = 0;
  for (uint32_t sign = 0; sign < 2; ++sign) {
    for (uint32_t m = 0;; m += 97) {
      const float x = from_bits((sign << 31) | m);
      if (!(std::fabs(x) <= 104.0f) || x > 89.0f) break;
      const float y = simd::exp_lane(x);
      const double ref = std::exp(double(x));
      ++count;
      if (y == float(ref)) {
        ++exact;
        continue;
      }
      if (std::isinf(float(ref))) {
        ASSERT_TRUE(std::isinf(y)) << x;
        continue;
      }
      const double err = ulp_error(y, ref);
      if (err > worst) {
        worst = err;
        worst_x = x;
      }
    }
  }
  EXPECT_LE(worst, 1.0) << "at x = " << worst_x;
  EXPECT_GT(double(exact) / double(count), 0.99);
}

TEST(VectorisedExp, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(std::isnan(simd::exp_lane(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_EQ(simd::exp_lane(inf), inf);
  EXPECT_EQ(simd::exp_lane(-inf), 0.0f);
  EXPECT_FALSE(std::signbit(simd::exp_lane(-inf)));
  EXPECT_EQ(simd::exp_lane(0.0f), 1.0f);
  EXPECT_EQ(simd::exp_lane(-0.0f), 1.0f);
  EXPECT_EQ(simd::exp_lane(1.0f), float(std::exp(1.0)));
  // Overflow threshold: ln(FLT_MAX) = 88.7228391...
  EXPECT_TRUE(std::isfinite(simd::exp_lane(88.72283f)));
  EXPECT_EQ(simd::exp_lane(88.7229f), inf);
  EXPECT_EQ(simd::exp_lane(1000.0f), inf);
  // Subnormal results and underflow to +0.
  EXPECT_LE(ulp_error(simd::exp_lane(-87.33655f), std::exp(double(-87.33655f))), 1.0);
  EXPECT_LE(ulp_error(simd::exp_lane(-100.0f), std::exp(-100.0)), 1.0);
  EXPECT_GT(simd::exp_lane(-100.0f), 0.0f);
  EXPECT_EQ(simd::exp_lane(-103.9f), 0x1p-149f);
  EXPECT_EQ(simd::exp_lane(-104.5f), 0.0f);
  EXPECT_EQ(simd::exp_lane(-1e30f), 0.0f);
}

TEST(VectorisedExp, VectorFormEqualsScalarTwin) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::vector<float> xs = {nan, inf, -inf, 0.0f, -0.0f, 88.72283f, 88.7229f, -103.9f, -104.5f, -87.5f};
  for (int i = -2000; i <= 2000; ++i) xs.push_back(float(i) * 0.0517f);
  while (xs.size() % 4) xs.push_back(1.0f);
  for (size_t i = 0; i < xs.size(); i += 4) {
    float out[4];
    simd::store(out, simd::exp(simd::load(xs.data() + i)));
    for (size_t k = 0; k < 4; ++k) {
      const float want = simd::exp_lane(xs[i + k]);
      if (std::isnan(want)) EXPECT_TRUE(std::isnan(out[k]));
      else EXPECT_EQ(out[k], want) << xs[i + k];
    }
  }
}

TEST(VectorisedExp, NonPositiveFormEqualsFullForm) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::vector<float> xs = {nan, -inf, 0.0f, -0.0f, -103.9f, -104.5f, -87.5f, -1e30f};
  for (int i = 0; i <= 4000; ++i) xs.push_back(-float(i) * 0.0261f);
  while (xs.size() % 4) xs.push_back(-1.0f);
  for (size_t i = 0; i < xs.size(); i += 4) {
    float a[4], b[4];
    simd::store(a, simd::exp<true>(simd::load(xs.data() + i)));
    simd::store(b, simd::exp(simd::load(xs.data() + i)));
    EXPECT_EQ(std::memcmp(a, b, sizeof a), 0) << xs[i];
  }
}

TEST(VectorisedTanh, WithinOnePointFiveUlpOverASweep) {
  double worst = 0;
  float worst_x = 0;
  for (uint32_t sign = 0; sign < 2; ++sign) {
    for (uint32_t m = 0; m < 0x7f800000u; m += 61) {
      const float x = from_bits((sign << 31) | m);
      const float y = simd::tanh_lane(x);
      const double ref = std::tanh(double(x));
      if (y == float(ref)) continue;
      const double err = ulp_error(std::fabs(y), std::fabs(ref));
      if (err > worst) {
        worst = err;
        worst_x = x;
      }
    }
  }
  EXPECT_LE(worst, 1.5) << "at x = " << worst_x;
}

TEST(VectorisedTanh, SpecialValuesAndTwin) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(std::isnan(simd::tanh_lane(nan)));
  EXPECT_EQ(simd::tanh_lane(inf), 1.0f);
  EXPECT_EQ(simd::tanh_lane(-inf), -1.0f);
  EXPECT_EQ(simd::tanh_lane(20.0f), 1.0f);
  // Saturated above 8.664339742 as PyTorch's (Sleef) tanhf: exactly 1 at 9 (correctly rounded:
  // 1 - 2^-24), so tanh's gradient there is 0 as in torch.
  EXPECT_EQ(simd::tanh_lane(9.0f), 1.0f);
  EXPECT_EQ(simd::tanh_lane(-8.66435f), -1.0f);
  EXPECT_LT(simd::tanh_lane(8.66434f), 1.0f);  // the threshold itself is not saturated
  EXPECT_LT(simd::tanh_lane(8.664339f), 1.0f);
  EXPECT_TRUE(std::signbit(simd::tanh_lane(-0.0f)));
  EXPECT_EQ(simd::tanh_lane(-0.0f), 0.0f);
  EXPECT_EQ(simd::tanh_lane(1e-30f), 1e-30f);
  std::vector<float> xs = {nan, inf, -inf, 0.0f, -0.0f, 0.625f, -0.625f, 0.62499994f, 8.664339f, 8.66434f, 8.66435f, -9.0f};
  for (int i = -3000; i <= 3000; ++i) xs.push_back(float(i) * 0.00731f);
  while (xs.size() % 4) xs.push_back(0.5f);
  for (size_t i = 0; i < xs.size(); i += 4) {
    float out[4];
    simd::store(out, simd::tanh(simd::load(xs.data() + i)));
    for (size_t k = 0; k < 4; ++k) {
      const float want = simd::tanh_lane(xs[i + k]);
      if (std::isnan(want)) EXPECT_TRUE(std::isnan(out[k]));
      else EXPECT_EQ(std::memcmp(&out[k], &want, sizeof want), 0) << xs[i + k];
    }
  }
}

Tensor from(const std::vector<float>& v) {
  Tensor t = empty({int64_t(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data<float>()[i] = v[i];
  return t;
}

// 21 values so that the 16-wide, 4-wide and scalar tail loops all see the edge values.
std::vector<float> edge_values() {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::vector<float> v;
  for (int r = 0; r < 3; ++r)
    for (float x : {-0.0f, 0.0f, nan, -1.5f, 2.5f, -inf, inf}) v.push_back(x);
  return v;
}

TEST(PseudoMax, ReluKeepsNegativeZeroAndNaNAsPyTorch) {
  // torch.relu(tensor([-0., 0., nan, -1.5, 2.5, -inf, inf])) = [-0., 0., nan, 0., 2.5, 0., inf]
  const std::vector<float> in = edge_values();
  for (int inplace = 0; inplace < 2; ++inplace) {
    Tensor x = from(in);
    const Tensor y = inplace ? relu_(x) : relu(x);
    for (size_t i = 0; i < in.size(); ++i) {
      const float got = y.data<float>()[i];
      if (std::isnan(in[i])) {
        EXPECT_TRUE(std::isnan(got)) << i;
      } else {
        const float want = in[i] < 0 ? 0.0f : in[i];
        EXPECT_EQ(got, want) << i;
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << i << " (input " << in[i] << ")";
      }
    }
  }
}

TEST(PseudoMax, ClampAsPyTorch) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> in = edge_values();
  // torch.clamp(x, min=-0., max=0.): -1.5 -> -0., 2.5 -> 0., -0. -> -0., 0. -> 0.
  const Tensor a = clamp(from(in), Scalar(-0.0), Scalar(0.0));
  // torch.clamp(x, min=nan) and clamp(x, max=nan) leave x unchanged.
  const Tensor b = clamp(from(in), Scalar(double(nan)), std::nullopt);
  const Tensor c = clamp(from(in), std::nullopt, Scalar(double(nan)));
  for (size_t i = 0; i < in.size(); ++i) {
    const float x = in[i];
    const float ga = a.data<float>()[i], gb = b.data<float>()[i], gc = c.data<float>()[i];
    if (std::isnan(x)) {
      EXPECT_TRUE(std::isnan(ga) && std::isnan(gb) && std::isnan(gc)) << i;
      continue;
    }
    const float want_a = x < 0 ? -0.0f : (x > 0 ? 0.0f : x);
    EXPECT_EQ(std::signbit(ga), std::signbit(want_a)) << i << " (input " << x << ")";
    EXPECT_EQ(ga, 0.0f) << i;
    EXPECT_EQ(gb, x) << i;
    EXPECT_EQ(gc, x) << i;
    EXPECT_EQ(std::signbit(gb), std::signbit(x)) << i;
  }
}

std::vector<float> lcg_values(size_t n, uint32_t seed, float scale) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = (float(seed >> 8) / float(1u << 24) * 2.0f - 1.0f) * scale;
  }
  return v;
}

// softmax / log_softmax of rows of length n in one of three layouts:
//   0: a contiguous [rows, n] along dim 1 (contiguous rows),
//   1: a contiguous [n, rows] along dim 0 (row starts adjacent: four rows at once),
//   2: the transposed view of a contiguous [n, rows] along dim 1 (strided in, contiguous out).
void check_softmax(int64_t rows, int64_t n, bool log, int layout) {
  const std::vector<float> v = lcg_values(size_t(rows * n), uint32_t(rows * 1000 + n), 8.0f);
  const bool row_major = layout == 0;
  Tensor base = empty({row_major ? rows : n, row_major ? n : rows});
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < n; ++i) base.data<float>()[row_major ? r * n + i : i * rows + r] = v[size_t(r * n + i)];
  const Tensor x = layout == 2 ? transpose(base, 0, 1) : base;
  const int64_t dim = layout == 1 ? 0 : 1;
  const Tensor y = contiguous_clone(log ? log_softmax(x, dim) : softmax(x, dim));
  const bool out_row_major = layout != 1;
  for (int64_t r = 0; r < rows; ++r) {
    double m = -INFINITY, sum = 0;
    for (int64_t i = 0; i < n; ++i) m = std::max(m, double(v[size_t(r * n + i)]));
    for (int64_t i = 0; i < n; ++i) sum += std::exp(double(v[size_t(r * n + i)]) - m);
    for (int64_t i = 0; i < n; ++i) {
      const double d = double(v[size_t(r * n + i)]) - m;
      const double want = log ? d - std::log(sum) : std::exp(d) / sum;
      ASSERT_NEAR(y.data<float>()[out_row_major ? r * n + i : i * rows + r], want, 1e-6 * (1 + std::fabs(want)))
          << rows << "x" << n << (log ? " log" : "") << " layout " << layout << " at " << r << "," << i;
    }
  }
}

TEST(FusedSoftmax, EveryPathAgainstDouble) {
  for (int64_t rows : {1, 3, 4, 5, 9})
    for (int64_t n : {1, 2, 3, 4, 5, 15, 16, 17, 33, 100})
      for (bool log : {false, true})
        for (int layout : {0, 1, 2}) check_softmax(rows, n, log, layout);
}

TEST(FusedSoftmax, NaNAndInfinityRows) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  // PyTorch: a NaN or +inf anywhere in a row makes the whole row NaN; -inf entries give 0
  // (log: -inf); an all -inf row is NaN.
  for (int64_t n : {3, 20}) {
    for (int64_t pos : {int64_t(0), n - 1}) {
      for (float special : {nan, inf}) {
        std::vector<float> v = lcg_values(size_t(n), 7, 3.0f);
        v[size_t(pos)] = special;
        for (bool log : {false, true}) {
          const Tensor y = log ? log_softmax(from(v), 0) : softmax(from(v), 0);
          for (int64_t i = 0; i < n; ++i) EXPECT_TRUE(std::isnan(y.data<float>()[i])) << n << " " << pos << " " << i;
        }
      }
      std::vector<float> v = lcg_values(size_t(n), 9, 3.0f);
      v[size_t(pos)] = -inf;
      const Tensor y = softmax(from(v), 0), ly = log_softmax(from(v), 0);
      EXPECT_EQ(y.data<float>()[pos], 0.0f);
      EXPECT_EQ(ly.data<float>()[pos], -inf);
    }
    const Tensor all = softmax(from(std::vector<float>(size_t(n), -inf)), 0);
    for (int64_t i = 0; i < n; ++i) EXPECT_TRUE(std::isnan(all.data<float>()[i]));
  }
}

TEST(FusedSoftmax, SameCallTwiceIsBitIdentical) {
  const std::vector<float> v = lcg_values(64 * 37, 3, 10.0f);
  Tensor x = empty({64, 37});
  std::memcpy(x.data<float>(), v.data(), v.size() * sizeof(float));
  for (int64_t dim : {0, 1}) {
    const Tensor a = softmax(x, dim), b = softmax(x, dim);
    EXPECT_EQ(std::memcmp(a.data<float>(), b.data<float>(), v.size() * sizeof(float)), 0);
  }
}

}  // namespace
