#pragma once
// AutoDispatchBelowADInplaceOrView: run ops as if below the autograd and
// ADInplaceOrView layers. Nothing records a grad_fn, nothing bumps a version, views
// are not tracked, and no autograd check runs. It is what a custom Function's
// forward runs under. Grad mode itself is left as it was.

#include "core/autograd_state.h"

namespace webtorch {

struct AutoDispatchBelowADInplaceOrView {
  AutoDispatchBelowADInplaceOrView() : prev_(AutogradState::get_tls_state()) {
    AutogradState s = prev_;
    s.autograd_excluded = true;
    s.inplace_or_view_excluded = true;
    AutogradState::set_tls_state(s);
  }
  AutoDispatchBelowADInplaceOrView(const AutoDispatchBelowADInplaceOrView&) = delete;
  AutoDispatchBelowADInplaceOrView& operator=(const AutoDispatchBelowADInplaceOrView&) = delete;
  ~AutoDispatchBelowADInplaceOrView() { AutogradState::set_tls_state(prev_); }

 private:
  AutogradState prev_;
};

}  // namespace webtorch
