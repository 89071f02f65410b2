// The backward engine: iterative on deep graphs, accumulation, hooks, retain_grad, freeing.

#include <gtest/gtest.h>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/memory_stats.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

TEST(Engine, DeepChainDoesNotRecurse) {
  Tensor x = ones({4});
  autograd::requires_grad_(x, true);
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = add(y, 1.0);
  autograd::backward({sum(y)});
  EXPECT_FLOAT_EQ(autograd::grad(x).data<float>()[3], 1.0f);
  y = Tensor();  // dropping a 100000-node graph must not recurse either
}

TEST(Engine, AccumulatesAcrossCallsInPlace) {
  Tensor x = ones({2});
  autograd::requires_grad_(x, true);
  autograd::backward({sum(mul(x, 2.0))});
  Tensor g = autograd::grad(x);
  autograd::backward({sum(mul(x, 3.0))});
  EXPECT_TRUE(autograd::grad(x).is_same(g));
  EXPECT_FLOAT_EQ(g.data<float>()[0], 5.0f);
}

TEST(Engine, FreesSavedTensorsUnlessRetained) {
  const int64_t base = memory_stats().saved_bytes;
  Tensor x = ones({3});
  autograd::requires_grad_(x, true);
  Tensor loss = sum(mul(x, x));
  EXPECT_GT(memory_stats().saved_bytes, base);
  autograd::backward({loss}, {}, /*keep_graph=*/true);
  EXPECT_GT(memory_stats().saved_bytes, base);
  autograd::backward({loss});
  EXPECT_EQ(memory_stats().saved_bytes, base);
  EXPECT_NE(std::string(autograd::grad(x).dtype() == ScalarType::Float32 ? "ok" : ""), "");
  try {
    autograd::backward({loss});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("Trying to backward through the graph a second time", 0), 0u);
  }
}

TEST(Engine, NativeHooksReplaceGradients) {
  Tensor x = ones({2});
  autograd::requires_grad_(x, true);
  Tensor y = mul(x, 2.0);
  autograd::register_hook(y, Hook{[](const Tensor& g) { return mul(g, 10.0); }, -1});
  autograd::backward({sum(y)});
  EXPECT_FLOAT_EQ(autograd::grad(x).data<float>()[0], 20.0f);
}

TEST(Engine, RetainGradOnNonLeaf) {
  Tensor x = ones({2});
  autograd::requires_grad_(x, true);
  Tensor y = mul(x, 2.0);
  autograd::retain_grad(y);
  autograd::backward({sum(mul(y, y))});
  EXPECT_FLOAT_EQ(autograd::grad(y).data<float>()[0], 4.0f);
  EXPECT_FLOAT_EQ(autograd::grad(x).data<float>()[0], 8.0f);
}

TEST(Engine, GradDoesNotTouchDotGrad) {
  Tensor x = ones({2});
  autograd::requires_grad_(x, true);
  Tensor y = sum(mul(x, x));
  variable_list g = autograd::grad({y}, {x});
  EXPECT_FLOAT_EQ(g[0].data<float>()[1], 2.0f);
  EXPECT_FALSE(autograd::grad(x).defined());
}

TEST(Engine, GraphNodesAreFreedWithTheOutputs) {
  const int64_t base = memory_stats().graph_nodes;
  {
    Tensor x = ones({2});
    autograd::requires_grad_(x, true);
    Tensor y = sum(exp(mul(x, 2.0)));
    EXPECT_EQ(memory_stats().graph_nodes, base + 4);  // Mul, Exp, Sum, AccumulateGrad
  }
  EXPECT_EQ(memory_stats().graph_nodes, base);
}
