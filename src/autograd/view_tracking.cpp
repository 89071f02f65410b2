#include "autograd/view_tracking.h"

#include <string>

#include "autograd/variable.h"
#include "autograd/view_nodes.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"

namespace webtorch {
namespace autograd {

Tensor make_view(const Tensor& self, IntArrayRef sizes, IntArrayRef strides,
                 int64_t storage_offset) {
  Tensor view = alias_with_geometry(self, sizes, strides, storage_offset);
  if (self.is_inference() || !inplace_or_view_active(self)) return view;

  CreationMeta creation = InferenceMode::is_enabled() ? CreationMeta::INFERENCE_MODE
                          : GradMode::is_enabled()    ? CreationMeta::DEFAULT
                                                      : CreationMeta::NO_GRAD_MODE;
  AutogradMeta* self_meta = get_autograd_meta(self);
  Tensor root = self;
  if (self_meta && self_meta->is_view_) {
    root = self_meta->base_;
    creation = propagate_creation_meta(self_meta->creation_meta_, creation);
  }
  AutogradMeta* m = materialize_autograd_meta(view);
  m->is_view_ = true;
  m->base_ = root;
  m->creation_meta_ = creation;
  m->attr_version_ = view.impl()->version_counter().current_version();
  return view;
}

void handle_view_on_rebase(const Tensor& view, const AutogradMeta* meta, bool indirect) {
  (void)view;
  const std::string msg = view_rebase_error(meta, indirect);
  if (!msg.empty()) throw_error(msg);
}

std::string view_rebase_error(const AutogradMeta* meta, bool indirect) {
  const CreationMeta creation = meta->creation_meta_;
  if (creation == CreationMeta::DEFAULT) return "";
  const char* modified = indirect ? "its base or another view of its base has been" : "is being";
  std::string msg;
  if (meta->grad_fn_) {
    msg = str("Output ", meta->output_nr_, " of ", meta->grad_fn_->name(), " is a view and ",
              modified, " modified inplace.");
  } else if (creation == CreationMeta::INFERENCE_MODE) {
    msg = str("A view was created in inference mode and ", modified, " modified inplace in normal mode.");
  } else {
    msg = str("A view was created in no_grad mode and ", modified,
              " modified inplace with grad mode enabled.");
  }
  switch (creation) {
    case CreationMeta::MULTI_OUTPUT_NODE:
      msg += " This view is the output of a function that returns multiple views. Such functions "
             "do not allow the output views to be modified inplace. You should replace the "
             "inplace operation by an out-of-place one.";
      break;
    case CreationMeta::NO_GRAD_MODE:
      msg += " Given that this use case is ambiguous and error-prone, it is forbidden. You can "
             "clarify your code by moving both the view and the inplace either both inside the "
             "no_grad block (if you don't want the inplace to be tracked) or both outside (if "
             "you want the inplace to be tracked).";
      break;
    case CreationMeta::INFERENCE_MODE:
      msg += " Given that this use case is ambiguous and error-prone, it is forbidden. You can "
             "clarify your code by moving both the view and the inplace either both inside the "
             "inference_mode block (if you don't want the inplace to be tracked) or both outside "
             "(if you want the inplace to be tracked).";
      break;
    case CreationMeta::IN_CUSTOM_FUNCTION:
      msg += " This view was created inside a custom Function (or because an input was returned "
             "as-is) and the autograd logic to handle view+inplace would override the custom "
             "backward associated with the custom Function, leading to incorrect gradients. "
             "This behavior is forbidden. You can fix this by cloning the output of the custom "
             "Function.";
      break;
    case CreationMeta::DEFAULT:
      break;
  }
  return msg;
}

void regenerate_view_grad_fn(const Tensor& view, AutogradMeta* m, uint32_t current_version) {
  handle_view_on_rebase(view, m, /*indirect=*/true);
  auto fn = make_node_ptr<AsStridedBackward0>(m->base_, view);
  fn->set_next_edges({gradient_edge(m->base_)});
  m->grad_fn_ = fn;
  m->output_nr_ = fn->add_input_metadata(view);
  m->attr_version_ = current_version;
  move_retains_grad_hook(m);
}

}  // namespace autograd
}  // namespace webtorch
