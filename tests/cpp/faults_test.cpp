// Faults in the C++ core: failing ops cost nothing, in-place ops on their own inputs do
// not leak, and random op sequences with odd shapes only ever throw webtorch::Error. Run in
// the sanitizer build too (Note [Sanitizer build]), where any out-of-bounds access, UB or
// leak on these paths is a failure.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "core/memory_stats.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {

struct Counts {
  int64_t tensors, bytes, graph_nodes, saved_bytes;
  bool operator==(const Counts& o) const {
    return tensors == o.tensors && bytes == o.bytes && graph_nodes == o.graph_nodes &&
           saved_bytes == o.saved_bytes;
  }
};
Counts counts() {
  const MemoryStats& s = memory_stats();
  return {s.tensors, s.bytes, s.graph_nodes, s.saved_bytes};
}
std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "{tensors " << c.tensors << ", bytes " << c.bytes << ", graph_nodes " << c.graph_nodes
            << ", saved_bytes " << c.saved_bytes << "}";
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

Tensor requiring_grad(IntArrayRef sizes) {
  Tensor t = ones(sizes);
  autograd::requires_grad_(t, true);
  return t;
}

}  // namespace

TEST(Faults, InplaceOpOnItsOwnInputDoesNotLeak) {
  const Counts base = counts();
  {
    Tensor a = requiring_grad({3});
    Tensor b = mul(a, 2.0);
    mul_(b, b);  // saves b for backward, then b's grad_fn is that node
    EXPECT_EQ(error_of([&] { autograd::backward({sum(b)}); }),
              "one of the variables needed for gradient computation has been modified by an "
              "inplace operation: [torch.FloatTensor [3]], which is output 0 of MulBackward0, is "
              "at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
              "the operation that failed to compute its gradient, with "
              "torch.autograd.set_detect_anomaly(True).");
    Tensor c = mul(a, 3.0);
    div_(c, c);
    Tensor d = mul(a, 4.0);
    mul_(d, squeeze(view(d, {3, 1}), 1));  // a view of itself: the same cycle through the base
    Tensor e = mul(a, 5.0);
    div_(e, expand(e, {3}));
  }
  EXPECT_EQ(counts(), base);
}

TEST(Faults, FailingOpsCostNothing) {
  Tensor a = ones({2, 3});
  Tensor b = ones({4});
  Tensor leaf = requiring_grad({3});
  Tensor frozen;
  {
    InferenceMode guard;
    frozen = full({3}, 1.5);
  }
  const std::vector<std::function<void()>> failing = {
      [&] { add(a, b); },
      [&] { add_(frozen, 1.0); },
      [&] { matmul(a, b); },
      [&] { view(a, {4, 2}); },
      [&] { add_(leaf, 1.0); },
      [&] { autograd::backward({sum(a)}); },
      [&] { transpose(a, 0, 5); },
      [&] { add_(mul(leaf, 2.0), b); },
      [&] { empty({int64_t(1) << 40, int64_t(1) << 20}); },  // 2^62 bytes
      [&] { mul(leaf, frozen); },  // an inference tensor cannot be saved for backward
      [&] { autograd::backward({sum(mul(leaf, leaf))}, {ones({2})}); },
  };
  for (size_t i = 0; i < failing.size(); ++i) EXPECT_NE(error_of(failing[i]), "(no error)") << "failing call " << i;
  const Counts before = counts();
  for (int round = 0; round < 2000; ++round)
    for (const auto& f : failing) EXPECT_THROW(f(), Error);
  EXPECT_EQ(counts(), before);
  EXPECT_FLOAT_EQ(frozen.data<float>()[0], 1.5f);
  EXPECT_TRUE(GradMode::is_enabled());
}

// Random op sequences on small tensors of odd shapes (0-size dims, broadcasting, strided
// views): each op returns or throws webtorch::Error; the sanitizer build checks every access.
TEST(Faults, RandomOpSequencesOnlyThrowErrors) {
  std::mt19937 gen(20240611);
  auto pick = [&](int n) { return int(gen() % uint32_t(n)); };
  auto random_shape = [&] {
    DimVector s;
    const int nd = pick(4);
    for (int i = 0; i < nd; ++i) s.push_back(pick(4));
    return s;
  };
  const ScalarType dtypes[] = {ScalarType::Float32, ScalarType::Int32, ScalarType::Bool};
  const Counts base = counts();
  int ok = 0, errors = 0;
  {
    std::vector<Tensor> pool;
    for (int i = 0; i < 6; ++i) pool.push_back(full(random_shape(), double(i) - 2.5, dtypes[pick(3)]));
    for (int step = 0; step < 20000; ++step) {
      Tensor& x = pool[size_t(pick(int(pool.size())))];
      Tensor& y = pool[size_t(pick(int(pool.size())))];
      const int64_t d0 = pick(7) - 3, d1 = pick(7) - 3;
      Tensor out;
      try {
        const int op = pick(26);
        // In-place ops under no_grad, as optimizers do: recorded, x.add_(x * y) is a reference
        // cycle (PyTorch 1.13 leaks it too; see the report of issue 8) and this test checks
        // that nothing leaks.
        std::optional<NoGradGuard> no_grad;
        if (op >= 19 && op <= 23) no_grad.emplace();
        switch (op) {
          case 0: out = add(x, y, pick(3) - 1); break;
          case 1: out = sub(x, y); break;
          case 2: out = mul(x, y); break;
          case 3: out = div(x, y); break;
          case 4: out = matmul(x, y); break;
          case 5: out = neg(x); break;
          case 6: out = relu(x); break;
          case 7: out = exp(x); break;
          case 8: out = sum(x); break;
          case 9: out = sum(x, {d0}, pick(2) == 1); break;
          case 10: out = mean(x, {d0, d1}); break;
          case 11: out = view(x, random_shape()); break;
          case 12: out = reshape(x, {-1}); break;
          case 13: out = transpose(x, d0, d1); break;
          case 14: out = unsqueeze(x, d0); break;
          case 15: out = squeeze(x, d0); break;
          case 16: out = expand(x, random_shape()); break;
          case 17: out = contiguous(x); break;
          case 18: out = clone(x); break;
          case 19: add_(x, y); break;
          case 20: mul_(x, y); break;
          case 21: copy_(x, y); break;
          case 22: fill_(x, double(pick(5)) - 2.0); break;
          case 23: zero_(x); break;
          case 24: out = full(random_shape(), 0.5, dtypes[pick(3)]); break;
          case 25: {
            if (is_floating(x.dtype()) && !x.requires_grad()) autograd::requires_grad_(x, true);
            autograd::backward({sum(mul(x, 2.0))});
            break;
          }
        }
        ++ok;
      } catch (const Error& e) {
        ASSERT_GT(std::string(e.what()).size(), 0u);
        ++errors;
      }
      if (out.defined() && out.numel() <= 64) pool[size_t(pick(int(pool.size())))] = out;
    }
  }
  EXPECT_GT(ok, 1000);
  EXPECT_GT(errors, 1000);
  EXPECT_EQ(counts(), base);
}

// Note [Defined conversions]: values that do not fit give PyTorch's errors or its x86
// results, and never an undefined conversion (the sanitizer build has float-cast-overflow).
TEST(Faults, ConversionsOfValuesThatDoNotFitAreDefined) {
  const std::string int_overflow = "value cannot be converted to type int without overflow";
  EXPECT_EQ(error_of([] { fill_(ones({2}, ScalarType::Int32), 1e20); }), int_overflow);
  EXPECT_EQ(error_of([] { fill_(ones({2}, ScalarType::Int32), std::nan("")); }), int_overflow);
  EXPECT_EQ(error_of([] { fill_(ones({2}, ScalarType::Int32), 2147483647.5); }), int_overflow);
  EXPECT_EQ(error_of([] { full({2}, Scalar(3e9, Scalar::Kind::Int), ScalarType::Int32); }), int_overflow);
  EXPECT_EQ(error_of([] { full({2}, 3.5e38, ScalarType::Float32); }),
            "value cannot be converted to type float without overflow");
  EXPECT_EQ(full({1}, -2147483648.0, ScalarType::Int32).data<int32_t>()[0], INT32_MIN);
  EXPECT_TRUE(std::isinf(full({1}, HUGE_VAL, ScalarType::Float32).data<float>()[0]));
  // torch 1.13 fills bool tensors with anything: nonzero (NaN too) is True.
  for (double v : {2.5, std::nan(""), 1e30}) EXPECT_TRUE(fill_(zeros({1}, ScalarType::Bool), v).data<bool>()[0]);
  EXPECT_FALSE(fill_(ones({1}, ScalarType::Bool), 0.0).data<bool>()[0]);
  // Integer scalars wrap into int32 as PyTorch's int64 scalars do.
  EXPECT_EQ(add(zeros({1}, ScalarType::Int32), Scalar(1e10, Scalar::Kind::Int)).data<int32_t>()[0], 1410065408);
  EXPECT_EQ(mul(ones({1}, ScalarType::Int32), Scalar(3e9, Scalar::Kind::Int)).data<int32_t>()[0], -1294967296);
  // Float to int32 casts of NaN, +-inf and out-of-range values give INT32_MIN (x86 PyTorch).
  Tensor f = full({5}, 0.0);
  const float values[] = {NAN, INFINITY, -INFINITY, 3e9f, -2.5f};
  for (int i = 0; i < 5; ++i) f.data<float>()[i] = values[i];
  Tensor i32 = to_dtype(f, ScalarType::Int32);
  const int32_t expected[] = {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, -2};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(i32.data<int32_t>()[i], expected[i]) << i;
}

TEST(Faults, AlphaThatDoesNotFitIsRefusedAsPyTorch) {
  const Tensor i = ones({1}, ScalarType::Int32);
  EXPECT_EQ(error_of([&] { add(i, i, Scalar(3e9, Scalar::Kind::Int)); }),
            "value cannot be converted to type int without overflow");
  EXPECT_EQ(error_of([&] { sub_(i, i, Scalar(-3e9, Scalar::Kind::Int)); }),
            "value cannot be converted to type int without overflow");
  EXPECT_EQ(error_of([] { add(ones({1}), ones({1}), 1e39); }),
            "value cannot be converted to type float without overflow");
  EXPECT_EQ(i.data<int32_t>()[0], 1);
}

// Found by the JS fuzzer: t.expand(2, -3) on a size-1 dim made a tensor of size -3.
TEST(Faults, ExpandRefusesNegativeSizes) {
  EXPECT_EQ(error_of([] { expand(ones({1}), {2, -3}); }), "numel: integer multiplication overflow");
  EXPECT_EQ(error_of([] { expand(ones({1, 1}), {-3, 1}); }), "numel: integer multiplication overflow");
  EXPECT_EQ(error_of([] { expand(ones({1}), {-2, 1}); }), "numel: integer multiplication overflow");
  EXPECT_EQ(error_of([] { expand(ones({1}), {-1, 1}); }),
            "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
  EXPECT_EQ(expand(ones({1}), {2, -1}).size(1), 1);
}
