// The gradient modes, for js/modes.mjs. JavaScript snapshots the packed state, enters a
// mode with the same transition the C++ guard uses, and restores the snapshot in `finally`
// (Note [Mode state is one snapshot]).

#include "autograd/anomaly.h"
#include "core/anomaly_mode.h"
#include "core/dispatch_below_autograd.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "export.h"

using namespace webtorch;

WT_EXPORT uint32_t wt_mode_state() { return AutogradState::get_tls_state().pack(); }
WT_EXPORT void wt_mode_restore(uint32_t packed) { AutogradState::set_tls_state(AutogradState::unpack(packed)); }
// Each enter returns the previous packed state.
WT_EXPORT uint32_t wt_enter_grad_mode(int32_t enabled) { return enter_grad_mode(enabled != 0).pack(); }
WT_EXPORT uint32_t wt_enter_inference_mode(int32_t enabled) { return enter_inference_mode(enabled != 0).pack(); }
WT_EXPORT uint32_t wt_enter_below_autograd() { return enter_below_autograd().pack(); }
WT_EXPORT int32_t wt_is_grad_enabled() { return GradMode::is_enabled(); }
WT_EXPORT int32_t wt_is_inference_mode_enabled() { return InferenceMode::is_enabled(); }
// Anomaly mode (Note [Anomaly mode]), packed as bit 0 = enabled, bit 1 = check_nan. Sets it and
// returns the previous packed state, which the same call restores.
WT_EXPORT uint32_t wt_set_anomaly_mode(uint32_t packed) {
  const uint32_t prev = (AnomalyMode::is_enabled() ? 1u : 0u) | (AnomalyMode::should_check_nan() ? 2u : 0u);
  if ((packed & 1u) && !AnomalyMode::is_enabled()) forward_stacks_start_now();
  AnomalyMode::set_enabled((packed & 1u) != 0, (packed & 2u) != 0);
  return prev;
}
