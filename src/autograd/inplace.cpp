#include "autograd/inplace.h"

#include "autograd/variable.h"
#include "autograd/view_nodes.h"
#include "autograd/view_tracking.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"

namespace webtorch {
namespace autograd {

void check_inplace(const Tensor& self, bool requires_grad) {
  if (!requires_grad || !GradMode::is_enabled()) return;
  AutogradMeta* m = get_autograd_meta(self);
  if (m && m->is_view_) {
    handle_view_on_rebase(self, m, /*indirect=*/false);
    WT_CHECK(!(self.requires_grad() && is_leaf(m->base_)),
             "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
  WT_CHECK(!(self.requires_grad() && is_leaf(self)),
           "a leaf Variable that requires grad is being used in an in-place operation.");
}

void check_inplace_inference(const Tensor& self) {
  if (!inplace_or_view_active(self)) return;
  WT_CHECK(!self.is_inference() || InferenceMode::is_enabled(),
           "Inplace update to inference tensor outside InferenceMode is not allowed.You can make "
           "a clone to get a normal tensor before doing inplace update.See "
           "https://github.com/pytorch/rfcs/pull/17 for more details.");
}

void bump_version(const Tensor& self) {
  if (inplace_or_view_active(self)) self.impl()->version_counter().bump();
}

void rebase_history(const Tensor& self, const std::shared_ptr<Node>& fn) {
  AutogradMeta* m = materialize_autograd_meta(self);
  const uint32_t nr = fn->add_input_metadata(self);
  if (m->is_view_) {
    Tensor base = m->base_;
    auto copy_slices = make_node_ptr<CopySlices>(base, self, fn);
    AutogradMeta* base_meta = materialize_autograd_meta(base);
    base_meta->grad_fn_ = copy_slices;
    base_meta->output_nr_ = copy_slices->add_input_metadata(base);
    m->output_nr_ = nr;
    grad_fn(self);  // regenerates the view's grad_fn onto the base's new history
    return;
  }
  m->grad_fn_ = fn;
  m->output_nr_ = nr;
  // The hook list stays with the old node; retain_grad() follows the tensor (Note [Hook lists]).
  move_retains_grad_hook(m);
}

}  // namespace autograd
}  // namespace webtorch
