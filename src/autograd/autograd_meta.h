#pragma once
// AutogradMeta: what autograd keeps per tensor (torch::autograd::AutogradMeta plus the
// fields of DifferentiableViewMeta). Tensors that never touch autograd have none.

#include <memory>
#include <string>

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

// Note [Weak tensor identity]
// A node that saved an alias of its own in-place target (Note [Saving an in-place op's own
// input]) must still name that tensor's grad_fn at unpack time, as PyTorch does, without
// owning it (that would be a cycle). It holds this record instead: the tensor while it
// lives, and once the tensor is freed, the name of the grad_fn it had then. A freed
// non-view tensor's grad_fn can no longer change (its views, which could change it, hold it
// alive), so the name stays exact; a freed view is not regenerated later
// (README, "Differences from PyTorch").
struct TensorIdentity {
  TensorImpl* impl = nullptr;  // null once the tensor is freed
  std::string grad_fn_name;    // its grad_fn's name when it was freed ("" = none)
};

struct AutogradMeta final : AutogradMetaInterface {
  ~AutogradMeta() override;
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

  std::shared_ptr<TensorIdentity> identity_;  // made on demand (Note [Weak tensor identity])
};

}  // namespace webtorch
