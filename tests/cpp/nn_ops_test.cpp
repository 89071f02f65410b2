// The nn operators natively: conv2d against a direct (naive) convolution for many
// stride/padding/dilation/groups settings and layouts, forward and backward; nll_loss edge
// cases (ignore_index, all ignored, weights, bounds errors that record nothing); the fused
// optimizer steps against their formulas, with the version-counter rules.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "core/inference_mode.h"
#include "core/memory_stats.h"
#include "autograd/ops/nn_ops.h"

using namespace webtorch;

namespace {

template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

Tensor random_tensor(std::vector<int64_t> shape, std::mt19937& rng) {
  Tensor t = empty(IntArrayRef(shape.data(), shape.size()));
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = u(rng);
  return t;
}

std::vector<double> values(const Tensor& t) {
  const Tensor c = contiguous_clone(t);
  std::vector<double> v(size_t(c.numel()));
  for (int64_t i = 0; i < c.numel(); ++i) v[size_t(i)] = c.data<float>()[i];
  return v;
}

void expect_close(const std::vector<double>& a, const std::vector<double>& b, double tol, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tol * (1 + std::fabs(b[i]))) << what << " at " << i;
}

struct ConvSetting {
  int64_t N, C, H, W, O, KH, KW, sh, sw, ph, pw, dh, dw, groups;
  bool bias, channels_last;
};

// Direct convolution and its gradients, in double.
struct Naive {
  std::vector<double> out, gx, gw, gb;
  int64_t OH, OW;
};

Naive naive_conv(const ConvSetting& s, const std::vector<double>& x, const std::vector<double>& w,
                 const std::vector<double>& b, const std::vector<double>& go_or_empty) {
  Naive r;
  r.OH = (s.H + 2 * s.ph - s.dh * (s.KH - 1) - 1) / s.sh + 1;
  r.OW = (s.W + 2 * s.pw - s.dw * (s.KW - 1) - 1) / s.sw + 1;
  const int64_t Cg = s.C / s.groups, Og = s.O / s.groups;
  r.out.assign(size_t(s.N * s.O * r.OH * r.OW), 0.0);
  r.gx.assign(x.size(), 0.0);
  r.gw.assign(w.size(), 0.0);
  r.gb.assign(size_t(s.O), 0.0);
  auto X = [&](int64_t n, int64_t c, int64_t h, int64_t ww) { return ((n * s.C + c) * s.H + h) * s.W + ww; };
  for (int64_t n = 0; n < s.N; ++n)
    for (int64_t o = 0; o < s.O; ++o) {
      const int64_t g = o / Og;
      for (int64_t oh = 0; oh < r.OH; ++oh)
        for (int64_t ow = 0; ow < r.OW; ++ow) {
          const size_t oi = size_t(((n * s.O + o) * r.OH + oh) * r.OW + ow);
          double acc = s.bias ? b[size_t(o)] : 0.0;
          const double go = go_or_empty.empty() ? 0.0 : go_or_empty[oi];
          r.gb[size_t(o)] += go;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t ki = 0; ki < s.KH; ++ki)
              for (int64_t kj = 0; kj < s.KW; ++kj) {
                const int64_t ih = oh * s.sh - s.ph + ki * s.dh, iw = ow * s.sw - s.pw + kj * s.dw;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                const size_t xi = size_t(X(n, g * Cg + c, ih, iw));
                const size_t wi = size_t(((o * Cg + c) * s.KH + ki) * s.KW + kj);
                acc += x[xi] * w[wi];
                r.gx[xi] += go * w[wi];
                r.gw[wi] += go * x[xi];
              }
          r.out[oi] = acc;
        }
    }
  return r;
}

}  // namespace

TEST(Conv2d, MatchesDirectConvolutionForwardAndBackward) {
  std::mt19937 rng(7);
  const std::vector<ConvSetting> settings = {
      {2, 3, 6, 7, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1, true, false},
      {2, 3, 7, 6, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, true, false},
      {1, 2, 8, 8, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1, false, false},
      {2, 2, 9, 8, 4, 3, 2, 2, 1, 1, 2, 2, 1, 1, true, true},
      {2, 4, 5, 5, 6, 3, 3, 1, 1, 0, 0, 1, 1, 2, true, false},
      {1, 3, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3, true, true},
      {2, 5, 4, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, true, false},
      {2, 5, 5, 5, 3, 1, 1, 2, 2, 0, 0, 1, 1, 1, false, true},
      {1, 2, 9, 9, 2, 2, 2, 3, 3, 0, 0, 1, 1, 1, true, false},
      {3, 8, 10, 12, 16, 3, 3, 1, 2, 1, 1, 1, 1, 4, true, false},
      // Rows of 8+ pixels (the packers' vector paths, panels across rows), M not a multiple of 4.
      {2, 16, 12, 20, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, false},
      // K = 288 and OH*OW = 272: more than one KC block in the forward and weight-gradient GEMMs.
      {1, 32, 17, 16, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, false, false},
      // 1x1 and 3x1 kernels without horizontal padding: pixels read across output rows.
      {2, 6, 5, 7, 5, 1, 1, 1, 1, 0, 0, 1, 1, 1, true, false},
      {2, 4, 6, 8, 3, 3, 1, 1, 1, 1, 0, 1, 1, 1, true, false},
      // Padding larger than the kernel: the input gradient's convolution has negative padding.
      {1, 3, 10, 10, 4, 2, 2, 1, 1, 2, 2, 1, 1, 1, true, false},
      // Wide channels-last input, wide depthwise, wide strided.
      {2, 8, 9, 16, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, true},
      {2, 8, 16, 16, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8, true, false},
      {2, 4, 16, 18, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, true, false},
      {1, 3, 14, 20, 5, 3, 3, 1, 1, 2, 2, 2, 2, 1, true, false},
  };
  for (const ConvSetting& s : settings) {
    // channels_last: the input is a permuted view of an NHWC tensor (non-contiguous).
    Tensor x;
    if (s.channels_last) {
      x = transpose(transpose(random_tensor({s.N, s.H, s.W, s.C}, rng), 3, 1), 3, 2);
    } else {
      x = random_tensor({s.N, s.C, s.H, s.W}, rng);
    }
    ASSERT_EQ(x.sizes().vec(), (std::vector<int64_t>{s.N, s.C, s.H, s.W}));
    Tensor w = random_tensor({s.O, s.C / s.groups, s.KH, s.KW}, rng);
    Tensor b = s.bias ? random_tensor({s.O}, rng) : Tensor();
    autograd::requires_grad_(x, true);
    autograd::requires_grad_(w, true);
    if (s.bias) autograd::requires_grad_(b, true);
    const int64_t stride[2] = {s.sh, s.sw}, pad[2] = {s.ph, s.pw}, dil[2] = {s.dh, s.dw};
    Tensor out = conv2d(x, w, b, IntArrayRef(stride, 2), IntArrayRef(pad, 2), IntArrayRef(dil, 2), s.groups);
    EXPECT_EQ(autograd::grad_fn(out)->name(), "ConvolutionBackward0");
    Tensor go = random_tensor(out.sizes().vec(), rng);
    const Naive ref = naive_conv(s, values(x), values(w), s.bias ? values(b) : std::vector<double>(), values(go));
    ASSERT_EQ(out.size(2), ref.OH);
    ASSERT_EQ(out.size(3), ref.OW);
    expect_close(values(out), ref.out, 1e-5, "output");
    autograd::backward({sum(mul(out, go))});
    expect_close(values(autograd::grad(x)), ref.gx, 1e-5, "grad input");
    expect_close(values(autograd::grad(w)), ref.gw, 1e-5, "grad weight");
    if (s.bias) expect_close(values(autograd::grad(b)), ref.gb, 1e-5, "grad bias");
  }
}

TEST(Conv2d, ErrorsChangeNothingAndRecordNothing) {
  const int64_t before = memory_stats().graph_nodes;
  Tensor x = ones({1, 3, 2, 2});
  Tensor w = ones({4, 3, 3, 3});
  autograd::requires_grad_(w, true);
  const int64_t one[1] = {1}, zero[1] = {0};
  EXPECT_EQ(error_of([&] { conv2d(x, w, Tensor(), IntArrayRef(one, 1), IntArrayRef(zero, 1), IntArrayRef(one, 1), 1); }),
            "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than "
            "actual input size");
  EXPECT_EQ(error_of([&] { conv2d(x, w, Tensor(), IntArrayRef(one, 1), std::string("full"), IntArrayRef(one, 1), 1); }),
            "Invalid padding string: 'full'");
  EXPECT_EQ(memory_stats().graph_nodes, before);
  EXPECT_FALSE(autograd::grad(w).defined());
}

TEST(NllLoss, IgnoreIndexWeightsAndAllIgnored) {
  Tensor x = from_values(std::vector<double>{-1, -2, -3, -0.5, -1.5, -2.5}.data(), {2, 3}, ScalarType::Float32);
  autograd::requires_grad_(x, true);
  Tensor t = from_values(std::vector<double>{2, -100}.data(), {2}, ScalarType::Int32);
  Tensor w = from_values(std::vector<double>{1, 2, 4}.data(), {3}, ScalarType::Float32);
  Tensor loss = nll_loss_nd(x, t, w, Reduction::Mean, -100);
  EXPECT_FLOAT_EQ(loss.data<float>()[0], 3.0f);  // -(4 * -3) / 4
  EXPECT_EQ(autograd::grad_fn(loss)->name(), "NllLossBackward0");
  autograd::backward({loss});
  const std::vector<double> g = values(autograd::grad(x));
  EXPECT_EQ(g, (std::vector<double>{0, 0, -1, 0, 0, 0}));  // -w[2] / total_weight

  Tensor none = nll_loss_nd(x, t, Tensor(), Reduction::None, -100);
  EXPECT_EQ(values(none), (std::vector<double>{3, 0}));
  Tensor all_ignored = from_values(std::vector<double>{-100, -100}.data(), {2}, ScalarType::Int32);
  EXPECT_TRUE(std::isnan(nll_loss_nd(x, all_ignored, Tensor(), Reduction::Mean, -100).data<float>()[0]));
  EXPECT_EQ(nll_loss_nd(x, all_ignored, Tensor(), Reduction::Sum, -100).data<float>()[0], 0.0f);
}

TEST(NllLoss, BadTargetsFailBeforeRecording) {
  Tensor x = zeros({2, 3});
  autograd::requires_grad_(x, true);
  const int64_t nodes = memory_stats().graph_nodes;
  Tensor t = from_values(std::vector<double>{1, 3}.data(), {2}, ScalarType::Int32);
  EXPECT_EQ(error_of([&] { nll_loss_nd(x, t, Tensor(), Reduction::Mean, -100); }), "Target 3 is out of bounds.");
  Tensor tf = zeros({2});
  EXPECT_EQ(error_of([&] { nll_loss_nd(x, tf, Tensor(), Reduction::Mean, -100); }), "expected scalar type Int but found Float");
  Tensor t4 = zeros({2, 4, 3}, ScalarType::Int32);
  EXPECT_EQ(error_of([&] { nll_loss_nd(zeros({2, 3, 3, 4}), t4, Tensor(), Reduction::Mean, -100); }),
            "size mismatch (got input: [2, 3, 3, 4] , target: [2, 4, 3]");
  EXPECT_EQ(memory_stats().graph_nodes, nodes);
}

TEST(CrossEntropy, SpatialInputUsesTheRightNodes) {
  Tensor x = ones({2, 3, 4});
  autograd::requires_grad_(x, true);
  Tensor t = zeros({2, 4}, ScalarType::Int32);
  EXPECT_EQ(autograd::grad_fn(cross_entropy(x, t, Tensor(), Reduction::Mean, -100, 0))->name(), "NllLoss2DBackward0");
  EXPECT_EQ(autograd::grad_fn(cross_entropy(x, t, Tensor(), Reduction::None, -100, 0))->name(), "ViewBackward0");
  EXPECT_NEAR(cross_entropy(x, t, Tensor(), Reduction::Mean, -100, 0).data<float>()[0], std::log(3.0), 1e-6);
}

TEST(OptimizerSteps, SgdMatchesItsFormulaAndBumpsTheVersionOnce) {
  Tensor p = from_values(std::vector<double>{1, -2, 3}.data(), {3}, ScalarType::Float32);
  Tensor g = from_values(std::vector<double>{0.5, 0.25, -1}.data(), {3}, ScalarType::Float32);
  SgdOptions o;
  o.lr = 0.1, o.momentum = 0.9, o.weight_decay = 0.01, o.nesterov = true;
  Tensor buf;
  const uint32_t v0 = p.version();
  sgd_step(p, g, &buf, o);
  EXPECT_EQ(p.version(), v0 + 1);
  ASSERT_TRUE(buf.defined());
  // d = g + wd p; buf = d; d = d + momentum * buf; p -= lr * d
  const double p0[3] = {1, -2, 3}, g0[3] = {0.5, 0.25, -1};
  for (int i = 0; i < 3; ++i) {
    const double d = g0[i] + 0.01 * p0[i];
    EXPECT_NEAR(buf.data<float>()[i], d, 1e-7);
    EXPECT_NEAR(p.data<float>()[i], p0[i] - 0.1 * (d + 0.9 * d), 1e-6);
  }
}

TEST(OptimizerSteps, AdamMatchesItsFormula) {
  Tensor p = from_values(std::vector<double>{1, -2}.data(), {2}, ScalarType::Float32);
  Tensor g = from_values(std::vector<double>{0.5, -0.25}.data(), {2}, ScalarType::Float32);
  AdamOptions o;
  o.lr = 0.1;
  Tensor m, v, vmax;
  adam_step(p, g, &m, &v, &vmax, 1, o);
  adam_step(p, g, &m, &v, &vmax, 2, o);
  // With a constant gradient the bias-corrected moments are g and g^2: each step moves lr * sign(g).
  EXPECT_NEAR(p.data<float>()[0], 1 - 0.2, 1e-5);
  EXPECT_NEAR(p.data<float>()[1], -2 + 0.2, 1e-5);
  EXPECT_FALSE(vmax.defined());
  EXPECT_EQ(p.version(), 2u);
}

TEST(OptimizerSteps, InferenceParametersAreRefusedBeforeWriting) {
  Tensor p;
  {
    InferenceMode guard;
    p = ones({2});
  }
  Tensor g = ones({2});
  Tensor buf;
  SgdOptions o;
  o.lr = 1;
  EXPECT_NE(error_of([&] { sgd_step(p, g, &buf, o); }).find("Inplace update to inference tensor outside InferenceMode"),
            std::string::npos);
  EXPECT_EQ(values(p), (std::vector<double>{1, 1}));
  Tensor wrong = ones({3});
  Tensor q = ones({2});
  EXPECT_EQ(error_of([&] { sgd_step(q, wrong, &buf, o); }), "SGD: the gradient has shape [3] but the parameter has shape [2]");
}

TEST(Linear, ComposesAsPyTorchAndNamesItsNodes) {
  Tensor w = ones({4, 5});
  autograd::requires_grad_(w, true);
  Tensor b = ones({4});
  EXPECT_EQ(autograd::grad_fn(linear(ones({3, 5}), w, b))->name(), "AddmmBackward0");
  EXPECT_EQ(autograd::grad_fn(linear(ones({3, 5}), w, Tensor()))->name(), "MmBackward0");
  EXPECT_EQ(autograd::grad_fn(linear(ones({2, 3, 5}), w, b))->name(), "ViewBackward0");
  EXPECT_EQ(autograd::grad_fn(linear(transpose(ones({2, 5, 3}), 1, 2), w, b))->name(), "AddBackward0");
  EXPECT_EQ(values(linear(ones({1, 5}), w, b)), (std::vector<double>{6, 6, 6, 6}));
}

TEST(Conv2d, EachInputAloneCanRequireGrad) {
  const int64_t one[1] = {1}, zero[1] = {0};
  for (int which = 0; which < 3; ++which) {
    Tensor x = ones({2, 3, 4, 4}), w = ones({5, 3, 3, 3}), b = ones({5});
    Tensor& leaf = which == 0 ? x : which == 1 ? w : b;
    autograd::requires_grad_(leaf, true);
    Tensor out = conv2d(x, w, b, IntArrayRef(one, 1), IntArrayRef(zero, 1), IntArrayRef(one, 1), 1);
    autograd::backward({sum(out)});
    const Tensor g = autograd::grad(leaf);
    ASSERT_TRUE(g.defined()) << which;
    EXPECT_EQ(g.sizes().vec(), leaf.sizes().vec());
    // d(sum)/d(bias) = N * OH * OW = 8; d/d(weight) = N * OH * OW = 8; d/d(x) counts the windows.
    if (which == 2) EXPECT_EQ(values(g), std::vector<double>(5, 8.0));
    if (which == 1) EXPECT_EQ(values(g), std::vector<double>(5 * 27, 8.0));
    if (which == 0) EXPECT_EQ(g.data<float>()[0], 5.0f);  // corner pixel: one window, 5 output channels
  }
}
