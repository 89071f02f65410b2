#pragma once
// Tensor hooks: functions of the incoming gradient that may return a replacement.
//
// A hook is native (a C++ function, run inline by the engine) or external (identified by
// an id; the engine pauses and the JavaScript caller runs it, see Note [Resumable engine]).

#include <functional>
#include <memory>
#include <vector>

#include "core/tensor.h"

namespace webtorch {

struct Hook {
  std::function<Tensor(const Tensor&)> native;  // empty for an external hook
  int32_t external_id = -1;
  bool is_external() const { return external_id >= 0; }
};

// The hooks of one tensor, shared by the tensor and the node its gradient flows into.
struct HookList {
  std::vector<Hook> hooks;
};

// Where retain_grad() keeps a non-leaf's .grad: shared by the tensor and its grad_fn,
// so the node never holds the tensor itself (that would be a reference cycle).
struct RetainedGrad {
  Tensor grad;
};

}  // namespace webtorch
