#pragma once
// VariableVersion: the version counter, as in c10/core/TensorImpl.h.
//
// Note [Version counter sharing]
// A view shares its base's counter (one refcounted object), so an in-place op through
// either is seen by both; detach() shares it too. Inference tensors have NO counter: the
// disabled VariableVersion holds a null pointer, costs no allocation, and reading it
// throws PyTorch's "Inference tensors do not track version counter." An op that wants to
// bump a disabled counter is checked before it writes (Note [Inplace update inference
// tensor] in autograd/inplace.h).

#include <cstdint>

#include "core/error.h"
#include "core/memory_stats.h"
#include "core/ref_counted.h"

namespace webtorch {

class VariableVersion {
 public:
  struct Counter : RefCounted {
    uint32_t version = 0;
  };

  struct Disabled {};
  // A disabled counter (inference tensors).
  explicit VariableVersion(Disabled) {}
  // A fresh counter at version 0.
  VariableVersion() : counter_(new Counter) {}

  bool enabled() const { return bool(counter_); }
  void bump() {
    if (counter_) ++counter_->version;
  }
  uint32_t current_version() const {
    WT_CHECK(counter_, "Inference tensors do not track version counter.");
    return counter_->version;
  }
  bool shares_with(const VariableVersion& o) const { return counter_ == o.counter_; }

 private:
  IntrusivePtr<Counter> counter_;
};

}  // namespace webtorch
