#pragma once
// InferenceMode, as c10::InferenceMode(bool enabled = true).
//
// Note [InferenceMode sets grad mode]
// Entering InferenceMode(enabled) sets grad mode to !enabled: InferenceMode(true)
// turns grad off, and InferenceMode(false) turns it back ON even inside a NoGradGuard
// (torch 1.13: `with no_grad(): with inference_mode(False): is_grad_enabled()` is True).
// It also un-excludes (false) or excludes (true) the autograd layer, so
// InferenceMode(false) re-enables recording inside AutoDispatchBelowADInplaceOrView.
// It leaves inplace_or_view_excluded alone. Setting grad mode never touches inference mode.
//
// Inside the mode (see the seed text and Note [Inference tensors] in tensor_impl.h):
// new non-view tensors are inference tensors, no op records a grad_fn, and inference
// tensors get no version bumps and no view tracking. Normal tensors still do.

#include "core/autograd_state.h"

namespace webtorch {

// Applies InferenceMode(enabled) to the thread's state and returns the previous state.
inline AutogradState enter_inference_mode(bool enabled) {
  const AutogradState prev = AutogradState::get_tls_state();
  AutogradState::set_tls_state(AutogradState(/*grad_mode=*/!enabled,
                                             /*inference_mode=*/enabled,
                                             /*autograd_excluded=*/enabled,
                                             prev.inplace_or_view_excluded));
  return prev;
}

struct InferenceMode {
  explicit InferenceMode(bool enabled = true) : prev_(enter_inference_mode(enabled)) {}
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode(InferenceMode&&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;
  InferenceMode& operator=(InferenceMode&&) = delete;
  ~InferenceMode() { AutogradState::set_tls_state(prev_); }

  // One load: this runs in every tensor constructor.
  static bool is_enabled() { return AutogradState::tls().inference_mode; }

 private:
  AutogradState prev_;
};

}  // namespace webtorch
