#include "autograd/variable.h"

#include "autograd/accumulate_grad.h"
#include "autograd/view_nodes.h"
#include "autograd/view_tracking.h"
#include "core/error.h"
#include "core/inference_mode.h"
#include "autograd/ops/ops.h"

namespace webtorch {

AutogradMeta::~AutogradMeta() {
  if (!identity_) return;
  identity_->impl = nullptr;
  identity_->grad_fn_name = grad_fn_ ? grad_fn_->name() : "";
}

bool AutogradMeta::requires_grad() const {
  return requires_grad_ || grad_fn_ || (is_view_ && base_.requires_grad());
}

void AutogradMeta::set_requires_grad(bool requires_grad, TensorImpl* self) {
  WT_CHECK(!requires_grad || is_floating(self->dtype()),
           "only Tensors of floating point dtype can require gradients");
  requires_grad_ = requires_grad;
}

namespace autograd {

AutogradMeta* get_autograd_meta(const Tensor& t) {
  return static_cast<AutogradMeta*>(t.impl()->autograd_meta());
}

AutogradMeta* materialize_autograd_meta(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  if (!m) {
    m = new AutogradMeta();
    t.impl()->set_autograd_meta(std::unique_ptr<AutogradMetaInterface>(m));
  }
  return m;
}

std::shared_ptr<Node> grad_fn(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  if (!m) return nullptr;
  if (m->is_view_) {
    if (!m->grad_fn_ && !m->base_.requires_grad()) return m->grad_fn_;
    const uint32_t current = t.impl()->version_counter().current_version();
    if (m->attr_version_ != current) regenerate_view_grad_fn(t, m, current);
  }
  return m->grad_fn_;
}

bool is_leaf(const Tensor& t) { return grad_fn(t) == nullptr; }

bool has_no_stored_grad_fn(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  return !m || !m->grad_fn_;
}

uint32_t output_nr(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  return m ? m->output_nr_ : 0;
}

bool is_view(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  return m && m->is_view_;
}

Tensor base(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  return m && m->is_view_ ? m->base_ : Tensor();
}

std::shared_ptr<TensorIdentity> identity(const Tensor& t) {
  AutogradMeta* m = materialize_autograd_meta(t);
  if (!m->identity_) {
    m->identity_ = std::make_shared<TensorIdentity>();
    m->identity_->impl = t.impl();
  }
  return m->identity_;
}

std::shared_ptr<Node> grad_accumulator(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  // Only the tensor's own flag counts, as in PyTorch: a view made under no_grad or in
  // inference mode of a leaf that requires grad reports requires_grad through its base but
  // has no accumulator until requires_grad_(true) is called on it.
  if (!m || !m->requires_grad_) return nullptr;
  if (auto existing = m->grad_accumulator_.lock()) return existing;
  auto acc = make_node_ptr<AccumulateGrad>(t);
  m->grad_accumulator_ = acc;
  return acc;
}

Edge gradient_edge(const Tensor& t) {
  if (auto fn = grad_fn(t)) return Edge(std::move(fn), output_nr(t));
  return Edge(grad_accumulator(t), 0);
}

void set_history(const Tensor& t, const std::shared_ptr<Node>& node) {
  AutogradMeta* m = materialize_autograd_meta(t);
  m->grad_fn_ = node;
  m->output_nr_ = node->add_input_metadata(t);
  if (m->is_view_) m->attr_version_ = t.impl()->version_counter().current_version();
}

// PyTorch's order of checks (THPVariable_requires_grad_, then TensorImpl::set_requires_grad).
// Leaf-ness is the stored grad_fn's, as in C++ is_leaf(): a view whose base changed in
// another mode is not regenerated (that would raise) just to set a flag.
void requires_grad_(const Tensor& t, bool flag) {
  WT_CHECK(flag || has_no_stored_grad_fn(t),
           "you can only change requires_grad flags of leaf variables. If you want to use a "
           "computed variable in a subgraph that doesn't require differentiation use "
           "var_no_grad = var.detach().");
  WT_CHECK(!flag || is_floating(t.dtype()), "only Tensors of floating point dtype can require gradients");
  WT_CHECK(!(flag && t.is_inference() && !InferenceMode::is_enabled()),
           "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  if (!has_no_stored_grad_fn(t)) return;  // requires_grad_(true) on a non-leaf: nothing to do
  if (!flag && !get_autograd_meta(t)) return;
  materialize_autograd_meta(t)->set_requires_grad(flag, t.impl());
}

void requires_grad_at_creation(const Tensor& t, bool flag) {
  if (!flag) return;
  WT_CHECK(is_floating(t.dtype()),
           "Only Tensors of floating point and complex dtype can require gradients");
  materialize_autograd_meta(t)->requires_grad_ = true;
}

// A retained grad lives in the cell its grad_fn's hook fills (Note [Hook lists]).
Tensor grad(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  if (!m) return Tensor();
  return m->retained_grad_ ? m->retained_grad_->grad : m->grad_;
}

void set_grad(const Tensor& t, const Tensor& g) {
  AutogradMeta* m = materialize_autograd_meta(t);
  (m->retained_grad_ ? m->retained_grad_->grad : m->grad_) = g;
}

bool retains_grad(const Tensor& t) {
  AutogradMeta* m = get_autograd_meta(t);
  return m && m->retained_grad_;
}

void retain_grad(const Tensor& t) {
  WT_CHECK(t.requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  // Leaves always keep their grad. As in PyTorch, the stored grad_fn decides whether t is a
  // leaf (no view regeneration); the hook then goes on grad_fn(t), which regenerates a view's
  // node and refuses as PyTorch does (e.g. a custom Function's view whose base changed).
  if (has_no_stored_grad_fn(t)) return;
  AutogradMeta* m = get_autograd_meta(t);
  if (m->retained_grad_) return;
  const std::shared_ptr<Node> fn = grad_fn(t);
  // The cell, not the tensor, is captured (no cycle).
  m->retained_grad_ = std::make_shared<RetainedGrad>();
  fn->add_retains_grad_hook(m->output_nr_, m->retained_grad_);
  m->retained_grad_node_ = fn;
}

// PyTorch 1.13 takes the hook out of the tensor's hook list wherever that list is attached,
// which is not the previous grad_fn after an in-place op through a view of the tensor.
void move_retains_grad_hook(AutogradMeta* m) {
  if (!m->retained_grad_ || !m->grad_fn_) return;
  const std::shared_ptr<Node> holder = m->retained_grad_node_.lock();
  if (holder == m->grad_fn_) return;
  if (holder) holder->remove_retains_grad_hook(m->retained_grad_);
  m->grad_fn_->add_retains_grad_hook(m->output_nr_, m->retained_grad_);
  m->retained_grad_node_ = m->grad_fn_;
}

// Note [Hook lists]: the list is bound once, at the first hook.
void register_hook(const Tensor& t, Hook hook) {
  WT_CHECK(t.requires_grad(),
           "cannot register a hook on a tensor that doesn't require gradient");
  AutogradMeta* m = materialize_autograd_meta(t);
  if (!m->hooks_) {
    std::shared_ptr<Node> fn = grad_fn(t);  // may raise (a view whose base changed): nothing changed yet
    auto list = std::make_shared<HookList>();
    if (fn) {
      fn->add_pre_hook(m->output_nr_, list);
    } else if (auto acc = m->grad_accumulator_.lock()) {
      acc->add_pre_hook(0, list);
    }
    m->hooks_ = std::move(list);
  }
  m->hooks_->hooks.push_back(std::move(hook));
}

void detach_(const Tensor& t) {
  WT_CHECK(!is_view(t),
           "Can't detach views in-place. Use detach() instead. If you are using "
           "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, "
           "gradients are views of DDP buckets, and hence detach_() cannot be called on these "
           "gradients. To fix this error, please refer to the Optimizer.zero_grad() function in "
           "torch/optim/optimizer.py as the solution.");
  AutogradMeta* m = get_autograd_meta(t);
  if (!m) return;
  m->requires_grad_ = false;
  m->grad_fn_.reset();
  m->output_nr_ = 0;
}

Tensor detach(const Tensor& t) {
  return alias_with_geometry(t, t.sizes(), t.strides(), t.storage_offset());
}

}  // namespace autograd
}  // namespace webtorch
