// The C++ guards: what each one sets, and that every nesting restores exactly
// (Note [Mode state is one snapshot], Note [InferenceMode sets grad mode]).

#include <gtest/gtest.h>

#include "core/dispatch_below_autograd.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"

using namespace webtorch;

namespace {
struct Modes {
  bool grad, inference;
  bool operator==(const Modes& o) const { return grad == o.grad && inference == o.inference; }
};
Modes now() { return {GradMode::is_enabled(), InferenceMode::is_enabled()}; }
void PrintTo(const Modes& m, std::ostream* os) { *os << "{grad=" << m.grad << ", inference=" << m.inference << "}"; }

class GuardTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(AutogradState::get_tls_state(), kDefaultAutogradState);
    AutogradState::set_tls_state(kDefaultAutogradState);
  }
};
}  // namespace

TEST_F(GuardTest, DefaultState) {
  EXPECT_EQ(now(), (Modes{true, false}));
  EXPECT_FALSE(AutogradState::get_tls_state().autograd_excluded);
  EXPECT_FALSE(AutogradState::get_tls_state().inplace_or_view_excluded);
}

TEST_F(GuardTest, NoGradGuardRestores) {
  {
    NoGradGuard g;
    EXPECT_EQ(now(), (Modes{false, false}));
    {
      AutoGradMode on(true);
      EXPECT_EQ(now(), (Modes{true, false}));
    }
    EXPECT_EQ(now(), (Modes{false, false}));
  }
  EXPECT_EQ(now(), (Modes{true, false}));
}

TEST_F(GuardTest, InferenceModeSetsGradMode) {
  {
    InferenceMode g;
    EXPECT_EQ(now(), (Modes{false, true}));
    EXPECT_TRUE(AutogradState::get_tls_state().autograd_excluded);
    {
      InferenceMode off(false);
      EXPECT_EQ(now(), (Modes{true, false}));  // grad back ON inside InferenceMode(false)
      EXPECT_FALSE(AutogradState::get_tls_state().autograd_excluded);
    }
    EXPECT_EQ(now(), (Modes{false, true}));
    {
      AutoGradMode on(true);  // grad modes never touch inference mode
      EXPECT_EQ(now(), (Modes{true, true}));
    }
  }
  EXPECT_EQ(now(), (Modes{true, false}));
}

TEST_F(GuardTest, InferenceModeFalseInsideNoGradEnablesGrad) {
  NoGradGuard g;
  InferenceMode off(false);
  EXPECT_EQ(now(), (Modes{true, false}));
}

TEST_F(GuardTest, BareSetEnabledIsUndoneByEnclosingGuard) {
  {
    InferenceMode g;
    GradMode::set_enabled(true);
    EXPECT_EQ(now(), (Modes{true, true}));
  }
  EXPECT_EQ(now(), (Modes{true, false}));
  {
    NoGradGuard g;
    GradMode::set_enabled(true);
  }
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST_F(GuardTest, BelowAutogradKeepsGradModeAndIsLiftedByInferenceModeFalse) {
  {
    AutoDispatchBelowADInplaceOrView below;
    EXPECT_EQ(now(), (Modes{true, false}));
    EXPECT_TRUE(AutogradState::get_tls_state().autograd_excluded);
    EXPECT_TRUE(AutogradState::get_tls_state().inplace_or_view_excluded);
    {
      InferenceMode off(false);
      EXPECT_FALSE(AutogradState::get_tls_state().autograd_excluded);
      EXPECT_TRUE(AutogradState::get_tls_state().inplace_or_view_excluded);
    }
    EXPECT_TRUE(AutogradState::get_tls_state().autograd_excluded);
  }
}

TEST_F(GuardTest, PackUnpackRoundTrips) {
  for (uint32_t bits = 0; bits < 16; ++bits) EXPECT_EQ(AutogradState::unpack(bits).pack(), bits);
}

// Every sequence of three nested guards restores every level on the way out.
TEST_F(GuardTest, AllThreeLevelNestingsRestore) {
  auto enter = [](int kind) -> AutogradState {
    switch (kind) {
      case 0: return enter_grad_mode(false);
      case 1: return enter_grad_mode(true);
      case 2: return enter_inference_mode(true);
      case 3: return enter_inference_mode(false);
      default: return enter_below_autograd();
    }
  };
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b)
      for (int c = 0; c < 5; ++c) {
        const AutogradState s0 = AutogradState::get_tls_state();
        const AutogradState p1 = enter(a);
        const AutogradState s1 = AutogradState::get_tls_state();
        const AutogradState p2 = enter(b);
        const AutogradState s2 = AutogradState::get_tls_state();
        const AutogradState p3 = enter(c);
        AutogradState::set_tls_state(p3);
        EXPECT_EQ(AutogradState::get_tls_state(), s2);
        AutogradState::set_tls_state(p2);
        EXPECT_EQ(AutogradState::get_tls_state(), s1);
        AutogradState::set_tls_state(p1);
        EXPECT_EQ(AutogradState::get_tls_state(), s0);
      }
}
