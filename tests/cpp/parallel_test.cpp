// The kernel thread pool (Note [Kernel threads]) and Note [Bit-identical for every thread
// count]: the threaded kernels give the same bits with 1, 2, 3 and 4 threads; a range that
// throws reaches the caller after every range ran; nested calls run serially.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "kernels/matmul.h"
#include "kernels/parallel.h"
#include "kernels/reduce.h"
#include "kernels/strided_loop.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/ops/ops.h"

namespace wk = webtorch::kernels;

namespace {

std::vector<float> values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = float(int32_t(seed >> 8) % 2001 - 1000) / 997.0f;
  }
  return v;
}

// Restores one thread when a test ends, whatever it asserted.
struct Threads {
  explicit Threads(int n) { EXPECT_EQ(wk::set_num_threads(n), n); }
  ~Threads() { wk::set_num_threads(1); }
};

struct Product {
  int64_t M, N, K;
  bool a_t, b_t;
};

std::vector<float> run_gemm(const Product& p) {
  const std::vector<float> a = values(size_t(p.M * p.K), uint32_t(p.M + 7 * p.K));
  const std::vector<float> b = values(size_t(p.K * p.N), uint32_t(p.N + 3 * p.K));
  std::vector<float> c(size_t(p.M * p.N), -1.0f);
  wk::gemm(p.M, p.N, p.K, a.data(), p.a_t ? 1 : p.K, p.a_t ? p.M : 1, b.data(), p.b_t ? 1 : p.N, p.b_t ? p.K : 1,
           c.data(), p.N);
  return c;
}

// gemm_panels with B read from a row-major K x N matrix.
struct PanelSource {
  const float* b;
  int64_t n;
};
void pack_rows(const void* source, int64_t k0, int64_t kc, int64_t j0, int64_t nr, float* dst) {
  const PanelSource& s = *static_cast<const PanelSource*>(source);
  for (int64_t k = 0; k < kc; ++k)
    for (int64_t j = 0; j < wk::kGemmPanelWidth; ++j)
      dst[k * wk::kGemmPanelWidth + j] = j < nr ? s.b[(k0 + k) * s.n + j0 + j] : 0.0f;
}

std::vector<float> run_panels(int64_t M, int64_t N, int64_t K) {
  const std::vector<float> a = values(size_t(M * K), uint32_t(M + K)), b = values(size_t(K * N), uint32_t(N));
  const std::vector<float> bias = values(size_t(M), 5);
  std::vector<float> c(size_t(M * N), 0.5f);
  const PanelSource source{b.data(), N};
  wk::gemm_panels(M, N, K, a.data(), K, 1, pack_rows, &source, bias.data(), true, c.data(), N);
  return c;
}

bool same_bits(const std::vector<float>& x, const std::vector<float>& y) {
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

// The bytes of each tensor (contiguous results), to compare bit for bit.
std::vector<std::vector<uint8_t>> bytes_of(const std::vector<webtorch::Tensor>& tensors) {
  std::vector<std::vector<uint8_t>> bytes;
  for (const webtorch::Tensor& t : tensors) {
    const webtorch::Tensor c = t.is_contiguous() ? t : webtorch::contiguous_clone(t);
    const auto* p = c.data<uint8_t>();
    bytes.emplace_back(p, p + c.numel() * int64_t(webtorch::itemsize(c.dtype())));
  }
  return bytes;
}

// Runs `run` (which returns the tensors to compare) with 1 thread, then 2, 3 and 4: each
// result must have the bits of the one-thread result.
template <class Run>
void expect_same_bits_for_every_thread_count(Run&& run) {
  std::vector<std::vector<uint8_t>> one;
  {
    Threads t(1);
    one = bytes_of(run());
  }
  for (int threads = 2; threads <= 4; ++threads) {
    Threads t(threads);
    const std::vector<std::vector<uint8_t>> many = bytes_of(run());
    ASSERT_EQ(one.size(), many.size());
    for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(one[i] == many[i]) << "result " << i << " with " << threads << " threads";
  }
}

}  // namespace

TEST(Parallel, ThreadCountIsSetAndClamped) {
  EXPECT_TRUE(wk::threads_supported());
  EXPECT_EQ(wk::set_num_threads(0), 1);
  {
    Threads t(3);
    EXPECT_EQ(wk::num_threads(), 3);
  }
  EXPECT_EQ(wk::num_threads(), 1);
}

TEST(Parallel, RangesCoverEverythingOnce) {
  for (int threads = 1; threads <= 4; ++threads) {
    Threads t(threads);
    for (int64_t n : {int64_t(1), int64_t(3), int64_t(4), int64_t(5), int64_t(1000)}) {
      std::unique_ptr<std::atomic<int>[]> hits(new std::atomic<int>[size_t(n)]());
      std::atomic<int> bad_slots{0};
      wk::parallel_parts(n, 1, [&](int slot, int64_t b, int64_t e) {
        if (slot < 0 || slot >= threads) bad_slots++;
        for (int64_t i = b; i < e; ++i) hits[size_t(i)]++;
      });
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[size_t(i)].load(), 1);
      EXPECT_EQ(bad_slots.load(), 0);
    }
  }
}

TEST(Parallel, ExceptionReachesCallerAfterEveryChunk) {
  Threads t(4);
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> finished{0};
    try {
      wk::parallel_for(16, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i)
          if (i == 5) throw std::runtime_error("element 5 failed");
        finished += int(e - b);
      });
      FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "element 5 failed");
    }
    EXPECT_EQ(finished.load(), 15);
  }
  // The pool still works afterwards.
  std::atomic<int> n{0};
  wk::parallel_for(4, 1, [&](int64_t b, int64_t e) { n += int(e - b); });
  EXPECT_EQ(n.load(), 4);
}

TEST(Parallel, NestedCallsRunSerially) {
  Threads t(2);
  std::atomic<int> inner{0};
  wk::parallel_for(2, 1, [&](int64_t b, int64_t e) {
    ASSERT_EQ(e - b, 1);
    wk::parallel_for(10, 1, [&](int64_t b, int64_t e) {
      EXPECT_EQ(b, 0);
      EXPECT_EQ(e, 10);
      inner++;
    });
  });
  EXPECT_EQ(inner.load(), 2);
}

TEST(Parallel, GemmBitIdenticalForEveryThreadCount) {
  const Product products[] = {
      {1, 1, 300, false, false},   {1, 300, 77, false, true},   {300, 1, 77, true, false},
      {1, 513, 40, false, false},  {513, 1, 40, false, false},  {64, 64, 64, false, false},
      {97, 40, 257, false, true},  {200, 300, 513, false, false}, {5, 2100, 30, true, true},
      {256, 256, 256, false, true}, {33, 517, 65, true, false},
  };
  for (const Product& p : products) {
    std::vector<float> one;
    {
      Threads t(1);
      one = run_gemm(p);
    }
    for (int threads = 2; threads <= 4; ++threads) {
      Threads t(threads);
      EXPECT_TRUE(same_bits(one, run_gemm(p))) << "gemm " << p.M << "x" << p.N << "x" << p.K << " with " << threads
                                               << " threads";
    }
  }
}

TEST(Parallel, GemmPanelsBitIdenticalForEveryThreadCount) {
  for (auto [M, N, K] : {std::array<int64_t, 3>{16, 900, 75}, {7, 33, 1100}, {3, 4, 2}}) {
    std::vector<float> one;
    {
      Threads t(1);
      one = run_panels(M, N, K);
    }
    for (int threads = 2; threads <= 4; ++threads) {
      Threads t(threads);
      EXPECT_TRUE(same_bits(one, run_panels(M, N, K))) << M << "x" << N << "x" << K << " with " << threads;
    }
  }
}

// Note [Elementwise chunks]: elementwise ops over a large contiguous run give the same bits
// with 1-4 threads (vector and scalar-lane paths see the same elements as on one thread).
TEST(Parallel, ElementwiseBitIdenticalForEveryThreadCount) {
  using namespace webtorch;
  const int64_t n = wk::kParallelElements * 3 + 13;  // ragged: a scalar tail, a 4-wide tail
  manual_seed(5);
  const Tensor x = randn({n}), y = randn({n});
  expect_same_bits_for_every_thread_count([&] {
    return std::vector<Tensor>{exp(x), sigmoid(x), tanh(x), relu(x), add(x, y, 2), mul(x, 0.5), gt(x, y), where(gt(x, y), x, y)};
  });
}

// Note [Fixed reduction blocks] and Note [Reductions split by output]: sums, means, max/min
// and argmax give the same bits with 1-4 threads, over everything (blocked runs), over an
// inner dim (slices of whole outputs, each a blocked run) and over an outer dim, on
// contiguous and transposed inputs; a NaN and ties in a late block keep the first extreme.
TEST(Parallel, ReductionsBitIdenticalForEveryThreadCount) {
  using namespace webtorch;
  const int64_t n = (int64_t(1) << 16) * 5 + 13;  // more than one fixed block, a ragged end
  manual_seed(6);
  const Tensor flat = randn({n}), wide = randn({3, n}), grid = randn({700, 301});
  Tensor ties = randn({n});
  ties.data<float>()[10] = 9.0f;
  ties.data<float>()[n - 5] = 9.0f;  // the first 9 wins
  Tensor late_nan = randn({2, n});
  late_nan.data<float>()[n + 200000] = std::nanf("");
  const Tensor ints = to_dtype(mul(flat, 1000.0), ScalarType::Int32);
  expect_same_bits_for_every_thread_count([&] {
    std::vector<Tensor> out = {sum(flat), mean(flat), max(flat), min(flat), argmax(flat), argmax(ties), sum(ints),
                               sum(wide, {1}), mean(wide, {1}), sum(wide, {0}), sum(grid, {0}), sum(grid, {1}),
                               sum(transpose(grid, 0, 1), {1}), mean(grid, {0, 1}), argmax(grid, 0), argmax(grid, 1),
                               argmax(late_nan, 1), max(late_nan), sum(late_nan, {1})};
    for (int64_t d : {0, 1}) {
      auto [values, indices] = max(grid, d);
      out.push_back(values);
      out.push_back(indices);
      auto [tvalues, tindices] = max(transpose(grid, 0, 1), d);
      out.push_back(tvalues);
      out.push_back(tindices);
    }
    auto [wvalues, windices] = max(wide, 1);
    out.push_back(wvalues);
    out.push_back(windices);
    return out;
  });
}

// Softmax rows and their backward are computed whole by one thread each (Note [Reductions
// split by output]); rows along a leading dim still go four at a time where a slice allows.
TEST(Parallel, SoftmaxBitIdenticalForEveryThreadCount) {
  using namespace webtorch;
  manual_seed(7);
  const Tensor x = randn({257, 1001}), g = randn({257, 1001});
  const Tensor xt = transpose(randn({1001, 257}), 0, 1);
  expect_same_bits_for_every_thread_count([&] {
    std::vector<Tensor> out;
    for (const Tensor& in : {x, xt}) {
      for (int64_t d : {0, 1}) {
        for (bool log : {false, true}) {
          const Tensor y = log ? log_softmax(in, d) : softmax(in, d);
          Tensor grad_in = empty({257, 1001});
          kernels::softmax_backward(grad_in, g, y, d, log);
          out.push_back(y);
          out.push_back(grad_in);
        }
      }
    }
    return out;
  });
}

// Note [Parallel optimizer steps]: SGD (momentum, nesterov, weight decay) and Adam (amsgrad,
// weight decay) over a large parameter, three steps each.
TEST(Parallel, OptimizerStepsBitIdenticalForEveryThreadCount) {
  using namespace webtorch;
  const int64_t n = (int64_t(1) << 17) + 7;
  manual_seed(8);
  const Tensor param0 = randn({n}), grad = randn({n});
  expect_same_bits_for_every_thread_count([&] {
    const Tensor sgd_param = contiguous_clone(param0), adam_param = contiguous_clone(param0);
    Tensor buf, m, v, vmax;
    SgdOptions sgd;
    sgd.lr = 0.1;
    sgd.momentum = 0.9;
    sgd.nesterov = true;
    sgd.weight_decay = 0.01;
    AdamOptions adam;
    adam.amsgrad = true;
    adam.weight_decay = 0.01;
    for (int step = 1; step <= 3; ++step) {
      sgd_step(sgd_param, grad, &buf, sgd);
      adam_step(adam_param, grad, &m, &v, &vmax, double(step), adam);
    }
    return std::vector<Tensor>{sgd_param, buf, adam_param, m, v, vmax};
  });
}
