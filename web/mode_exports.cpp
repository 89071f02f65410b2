// The gradient modes, for js/modes.mjs. JavaScript snapshots the packed state, enters a
// mode with the same transition the C++ guard uses, and restores the snapshot in `finally`
// (Note [Mode state is one snapshot]).

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
