#pragma once
// AutogradMeta: what autograd keeps per tensor (torch::autograd::AutogradMeta plus the
// fields of DifferentiableViewMeta). Tensors that never touch autograd have none.

#include <memory>

#include "autograd/hooks.h"
#include "autograd/node.h"
#include "core/tensor.h"

namespace webtorch {

// Note [Creation meta]
// Where a tracked view was made decides whether an in-place op on it may later be
// recorded (handle_view_on_rebase). A view of a view is never less restrictive than its
// base: propagate_creation_meta keeps INFERENCE_MODE, and otherwise the newest non-DEFAULT.
enum class CreationMeta : uint8_t { DEFAULT, IN_CUSTOM_FUNCTION, MULTI_OUTPUT_NODE, NO_GRAD_MODE, INFERENCE_MODE };

inline CreationMeta propagate_creation_meta(CreationMeta prev, CreationMeta next) {
  if (next == CreationMeta::DEFAULT) return prev;
  if (prev == CreationMeta::INFERENCE_MODE) return prev;
  return next;
}

struct AutogradMeta final : AutogradMetaInterface {
  bool requires_grad() const override;
  void set_requires_grad(bool requires_grad, TensorImpl* self) override;

  Tensor grad_;
  std::shared_ptr<Node> grad_fn_;
  std::weak_ptr<Node> grad_accumulator_;
  std::shared_ptr<HookList> hooks_;
  std::shared_ptr<RetainedGrad> retained_grad_;  // set by retain_grad() on a non-leaf
  // The node whose hook fills retained_grad_: not always grad_fn_ (an in-place op through a
  // view gives the base a new grad_fn and leaves the hook where it was, Note [Hook lists]).
  std::weak_ptr<Node> retained_grad_node_;
  uint32_t output_nr_ = 0;
  bool requires_grad_ = false;

  // View tracking (Note [View tracking] in autograd/view_tracking.h).
  bool is_view_ = false;
  CreationMeta creation_meta_ = CreationMeta::DEFAULT;
  uint32_t attr_version_ = 0;  // the version at which grad_fn_ was last set
  Tensor base_;                // the root base, never itself a view
};

}  // namespace webtorch
