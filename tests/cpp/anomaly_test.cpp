// Anomaly mode in the engine (Note [Anomaly mode]): torch 1.13's NaN check after a node runs,
// the forward stack appended to a node's error, nothing checked or kept while the mode is off.
// JavaScript scopes the flags; these tests set and restore them themselves.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "autograd/anomaly.h"
#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/anomaly_mode.h"
#include "core/error.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {

struct AnomalyScope {
  explicit AnomalyScope(bool check_nan) {
    forward_stacks_start_now();
    AnomalyMode::set_enabled(true, check_nan);
  }
  ~AnomalyScope() { AnomalyMode::set_enabled(false, true); }
};

// x * inf, then * 0: MulBackward0 of the first mul returns 0 * inf = NaN for x.
Tensor nan_in_backward(Tensor& x) {
  x = ones({2});
  autograd::requires_grad_(x, true);
  Tensor inf = full({2}, std::numeric_limits<float>::infinity());
  return sum(mul(mul(x, inf), 0.0));
}

std::string backward_error(const Tensor& loss) {
  try {
    autograd::backward({loss});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Anomaly, NanNamesTheNodeAndItsStack) {
  AnomalyScope scope(true);
  Tensor x;
  Tensor loss = nan_in_backward(x);
  auto mul_node = autograd::grad_fn(loss)->next_edges()[0].function->next_edges()[0].function;
  record_forward_stack(autograd::grad_fn(loss), "    at model (model.mjs:3:5)");
  EXPECT_EQ(forward_stack(mul_node.get()), "    at model (model.mjs:3:5)");
  EXPECT_EQ(backward_error(loss),
            "Function 'MulBackward0' returned nan values in its 0th output.\n"
            "Error detected in MulBackward0. Traceback of forward call that caused the error:\n"
            "    at model (model.mjs:3:5)");
}

TEST(Anomaly, OffOrWithoutCheckNanNothingIsChecked) {
  for (bool anomaly : {false, true}) {
    std::unique_ptr<AnomalyScope> scope;
    if (anomaly) scope = std::make_unique<AnomalyScope>(/*check_nan=*/false);
    Tensor x;
    Tensor loss = nan_in_backward(x);
    EXPECT_EQ(backward_error(loss), "");
    EXPECT_TRUE(std::isnan(autograd::grad(x).data<float>()[0]));
  }
}

TEST(Anomaly, AFreedNodeForgetsItsStack) {
  AnomalyScope scope(true);
  const Node* raw;
  {
    Tensor x = ones({2});
    autograd::requires_grad_(x, true);
    Tensor y = mul(x, 2.0);
    record_forward_stack(autograd::grad_fn(y), "stack");
    raw = autograd::grad_fn(y).get();
    EXPECT_EQ(forward_stack(raw), "stack");
  }
  EXPECT_EQ(forward_stack(raw), "");
}

TEST(Engine, BackwardInputsAccumulateOnlyThere) {
  Tensor x = ones({2}), w = full({2}, 3.0f);
  autograd::requires_grad_(x, true);
  autograd::requires_grad_(w, true);
  GraphTask task({sum(mul(x, w))}, {}, false, {x}, false, false, /*accumulate_into_inputs=*/true);
  EXPECT_EQ(task.run(), GraphTask::Status::Done);
  EXPECT_FLOAT_EQ(autograd::grad(x).data<float>()[1], 3.0f);
  EXPECT_FALSE(autograd::grad(w).defined());
}
