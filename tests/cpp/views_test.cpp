// t(): PyTorch's own op (TBackward0), a view of its input, refused above two dims.

#include <gtest/gtest.h>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

TEST(Views, TransposeOfAMatrixIsTBackward0) {
  Tensor x = reshape(arange(0, 6, 1, ScalarType::Float32), {2, 3});
  autograd::requires_grad_(x, true);
  Tensor y = t(x);
  EXPECT_EQ(y.sizes()[0], 3);
  EXPECT_EQ(y.sizes()[1], 2);
  EXPECT_EQ(y.strides()[0], 1);
  EXPECT_TRUE(autograd::is_view(y));
  EXPECT_EQ(autograd::grad_fn(y)->name(), "TBackward0");
  autograd::backward({sum(mul(y, y))});
  const float* g = autograd::grad(x).data<float>();
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(g[i], 2.0f * float(i));
}

TEST(Views, TOfAVectorIsAnAliasWithItsNode) {
  Tensor v = ones({3});
  autograd::requires_grad_(v, true);
  Tensor y = t(v);
  EXPECT_EQ(y.dim(), 1);
  EXPECT_EQ(autograd::grad_fn(y)->name(), "TBackward0");
}

TEST(Views, TRefusesThreeDims) {
  try {
    t(ones({2, 2, 2}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "t() expects a tensor with <= 2 dimensions, but self is 3D");
  }
}
