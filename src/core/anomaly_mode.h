#pragma once
// AnomalyMode (torch/csrc/autograd/anomaly_mode.h): torch.autograd.detect_anomaly.
//
// Note [Anomaly mode]
// A process-wide pair of flags, as in torch 1.13 (not thread-local). While enabled, the
// JavaScript side stores the JS stack of each forward op in the node it creates
// (autograd/anomaly.h; nothing is recorded while off, so the mode costs nothing then), and
// the engine (a) with check_nan, fails on a node whose output contains NaN with torch's
// "Function 'X' returned nan values in its Nth output." and (b) appends the failing node's
// forward stack to any error raised while running that node, the text torch prints as a
// warning ("Error detected in X. Traceback of forward call that caused the error:").
// JavaScript scopes it (js/modes.mjs) like the grad modes: enter, run, restore the snapshot.

namespace webtorch {

struct AnomalyMode {
  static bool is_enabled() { return enabled_; }
  static bool should_check_nan() { return check_nan_; }
  static void set_enabled(bool enabled, bool check_nan = true) {
    enabled_ = enabled;
    check_nan_ = check_nan;
  }

 private:
  static inline bool enabled_ = false;
  static inline bool check_nan_ = true;
};

}  // namespace webtorch
