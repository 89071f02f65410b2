#include <gtest/gtest.h>

#include "ops/ops.h"

using namespace webtorch;

TEST(Smoke, AddTwoTensors) {
  Tensor a = full({2, 3}, 1.5);
  Tensor b = full({3}, 2.0);
  Tensor c = add(a, b);
  ASSERT_EQ(c.dim(), 2);
  EXPECT_FLOAT_EQ(c.data<float>()[5], 3.5f);
}
