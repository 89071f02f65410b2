#pragma once
// The thread-local mode state: a few bits, read on every op and every tensor creation.
//
// Note [Mode state is one snapshot]
// Every guard (NoGradGuard, AutoGradMode, InferenceMode, AutoDispatchBelowADInplaceOrView)
// saves the WHOLE state on entry and writes it back on exit. Restoring a snapshot rather
// than toggling one bit is what makes every nesting come out as in PyTorch, e.g.
// InferenceMode(false) inside InferenceMode(true) inside NoGradGuard. JavaScript does the
// same with pack()/unpack() and try/finally (web/, js/modes.mjs): C++ never runs a JS
// callback inside a guard, because a JS exception would skip the guard's destructor.
//
// The bits mirror what PyTorch keeps in AutogradState plus its TLS dispatch-key sets:
//   grad_mode                 GradMode::is_enabled()
//   inference_mode            InferenceMode::is_enabled(); also means "ADInplaceOrView
//                             is not forced on", so inference tensors skip version and
//                             view bookkeeping (Note [Expected TLS state in InferenceMode])
//   autograd_excluded         the Autograd keys are in the TLS excluded set: no op records
//                             a grad_fn and no autograd check runs, whatever grad_mode says
//   inplace_or_view_excluded  ADInplaceOrView is excluded too: no version bump, no view
//                             tracking, no inference-tensor check (AutoDispatchBelowADInplaceOrView)

#include <cstdint>

namespace webtorch {

struct AutogradState {
  bool grad_mode : 1;
  bool inference_mode : 1;
  bool autograd_excluded : 1;
  bool inplace_or_view_excluded : 1;

  constexpr AutogradState(bool grad, bool inference, bool autograd_excl, bool inplace_excl)
      : grad_mode(grad),
        inference_mode(inference),
        autograd_excluded(autograd_excl),
        inplace_or_view_excluded(inplace_excl) {}

  static AutogradState& tls();
  static AutogradState get_tls_state() { return tls(); }
  static void set_tls_state(AutogradState state) { tls() = state; }

  // One small integer, so JavaScript can snapshot and restore the state in one call.
  uint32_t pack() const {
    return uint32_t(grad_mode) | uint32_t(inference_mode) << 1 |
           uint32_t(autograd_excluded) << 2 | uint32_t(inplace_or_view_excluded) << 3;
  }
  static AutogradState unpack(uint32_t bits) {
    return AutogradState(bits & 1, bits & 2, bits & 4, bits & 8);
  }
  bool operator==(const AutogradState& o) const { return pack() == o.pack(); }
  bool operator!=(const AutogradState& o) const { return pack() != o.pack(); }
};

// The default: grad on, inference off, nothing excluded.
constexpr AutogradState kDefaultAutogradState{true, false, false, false};

}  // namespace webtorch
