#pragma once
// AutoDispatchBelowADInplaceOrView: run ops as if below the autograd and
// ADInplaceOrView layers. Nothing records a grad_fn, nothing bumps a version, views
// are not tracked, and no autograd check runs. It is what a custom Function's
// forward runs under. Grad mode itself is left as it was.

#include "core/autograd_state.h"

namespace webtorch {

inline AutogradState enter_below_autograd() {
  const AutogradState prev = AutogradState::get_tls_state();
  AutogradState s = prev;
  s.autograd_excluded = true;
  s.inplace_or_view_excluded = true;
  AutogradState::set_tls_state(s);
  return prev;
}

struct AutoDispatchBelowADInplaceOrView {
  AutoDispatchBelowADInplaceOrView() : prev_(enter_below_autograd()) {}
  AutoDispatchBelowADInplaceOrView(const AutoDispatchBelowADInplaceOrView&) = delete;
  AutoDispatchBelowADInplaceOrView& operator=(const AutoDispatchBelowADInplaceOrView&) = delete;
  ~AutoDispatchBelowADInplaceOrView() { AutogradState::set_tls_state(prev_); }

 private:
  AutogradState prev_;
};

}  // namespace webtorch
