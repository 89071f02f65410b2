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

// Note [Hook lists]
// As in PyTorch 1.13, a tensor has one list of user hooks (Python's _backward_hooks dict),
// bound to the node the tensor had at its first register_hook: later hooks join that list
// and run after the earlier ones, even when an in-place op has since given the tensor a new
// grad_fn (the list stays on the old node). retain_grad() is separate (PyTorch keeps it in the
// C++ hook list): it is bound to the node current at retain_grad() and moves to the new
// grad_fn when an in-place op rebases the tensor (not when the in-place op went through a
// view of it) or when a view's grad_fn is regenerated; it moves from wherever it is then (after
// an in-place op through a view, from the node before that). On a node, each list runs in the order
// it was first attached. A leaf's hooks run inside its AccumulateGrad, after the check that the
// leaf still requires grad.
struct HookList {
  std::vector<Hook> hooks;
};

// Where retain_grad() keeps a non-leaf's .grad: shared by the tensor and its grad_fn,
// so the node never holds the tensor itself (that would be a reference cycle).
struct RetainedGrad {
  Tensor grad;
};

}  // namespace webtorch
