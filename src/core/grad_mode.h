#pragma once
// GradMode and its guards, as in c10/core/GradMode.h.

#include "core/autograd_state.h"

namespace webtorch {

struct GradMode {
  static bool is_enabled() { return AutogradState::tls().grad_mode; }
  static void set_enabled(bool enabled) { AutogradState::tls().grad_mode = enabled; }
};

// Sets grad mode and returns the whole previous state, for a guard (or JavaScript) to
// restore (Note [Mode state is one snapshot]).
inline AutogradState enter_grad_mode(bool enabled) {
  const AutogradState prev = AutogradState::get_tls_state();
  GradMode::set_enabled(enabled);
  return prev;
}

// A RAII, thread-local guard that sets grad mode and restores the previous state
// on destruction.
struct AutoGradMode {
  explicit AutoGradMode(bool enabled) : prev_(enter_grad_mode(enabled)) {}
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;
  ~AutoGradMode() { AutogradState::set_tls_state(prev_); }

 private:
  AutogradState prev_;
};

// A RAII, thread-local guard that disables gradient recording in its scope.
struct NoGradGuard : AutoGradMode {
  NoGradGuard() : AutoGradMode(false) {}
};

}  // namespace webtorch
