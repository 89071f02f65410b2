#include "autograd/custom_function.h"

#include "autograd/function.h"
#include "autograd/variable.h"
#include "autograd/view_tracking.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/shape.h"
#include "autograd/ops/ops.h"

namespace webtorch {

namespace {
std::vector<int32_t>& dead_ids() {
  static std::vector<int32_t> ids;
  return ids;
}

// PyTorch's _view_as_self_with_no_grad: a new view of t, made with grad mode off (a tracked
// view with NO_GRAD_MODE creation, or a plain alias of an inference tensor).
// It is t.view_as(t): the strides are view's, which may differ from t's on a dimension of
// size 1 (and then PyTorch's overlap check calls the two a partial overlap).
Tensor view_as_self_with_no_grad(const Tensor& t) {
  NoGradGuard no_grad;
  DimVector strides;
  if (!shape::compute_view_strides(t.sizes(), t.strides(), t.sizes(), &strides))
    strides.assign(t.strides());
  return autograd::make_view(t, t.sizes(), strides, t.storage_offset());
}

// PyTorch's impl::set_gradient_edge: the output slot was already added to the node's input
// metadata; a view's grad_fn is then current at this version.
void set_gradient_edge(const Tensor& t, const std::shared_ptr<Node>& node, uint32_t output_nr) {
  AutogradMeta* m = autograd::materialize_autograd_meta(t);
  m->grad_fn_ = node;
  m->output_nr_ = output_nr;
  if (m->is_view_) m->attr_version_ = t.impl()->version_counter().current_version();
}

// Tensor.detach_() on a tensor that is not a view.
void detach_in_place(const Tensor& t) {
  if (AutogradMeta* m = autograd::get_autograd_meta(t)) {
    m->grad_fn_.reset();
    m->output_nr_ = 0;
    m->requires_grad_ = false;
  }
}
}  // namespace

CustomFunction::~CustomFunction() { dead_ids().push_back(id_); }

variable_list CustomFunction::apply(variable_list&&) {
  throw_error(str(name_, ": the backward of a torch.autograd.Function runs in JavaScript"));
}

void CustomFunction::release_variables() {
  for (SavedVariable& s : saved_) s.reset_data();
  released_ = true;
}

variable_list CustomFunction::unpack_saved() const {
  variable_list out;
  for (const SavedVariable& s : saved_) out.push_back(s.unpack(this));
  return out;
}

std::shared_ptr<CustomFunction> begin_custom_function(int32_t id, const std::string& name,
                                                      const variable_list& inputs) {
  // Function.apply records when grad mode is on and an input requires grad, whatever the
  // inference mode and whether the inputs are inference tensors.
  bool rg = false;
  for (const Tensor& t : inputs) rg = rg || t.requires_grad();
  if (!(GradMode::is_enabled() && rg)) return nullptr;
  std::vector<Edge> edges;
  for (const Tensor& t : inputs) edges.push_back(t.requires_grad() ? autograd::gradient_edge(t) : Edge());
  auto node = make_node_ptr<CustomFunction>(id, name);
  node->set_next_edges(std::move(edges));
  return node;
}

// Note [Custom Function outputs]
// As PyTorch's _wrap_outputs (torch/csrc/autograd/custom_function.cpp), output by output:
//  * not differentiable (the call is not recorded, or the dtype is not floating):
//    not requiring grad: an input becomes a new view of itself; requiring grad: an input
//    becomes a detached alias, a non-view is detached in place, and a view (of an input that
//    requires grad, made in forward) is kept: it requires grad through its base, as a view
//    made under no_grad does;
//  * differentiable: an input becomes a new view of itself, and every output gets the node.
// Every output that is then a tracked view is marked IN_CUSTOM_FUNCTION (in-place on it
// raises), or MULTI_OUTPUT_NODE when more than one output is differentiable. Only then are
// the tensors saved (an output saved is saved as an output).
variable_list wrap_custom_function_outputs(const std::shared_ptr<CustomFunction>& node,
                                           const variable_list& inputs,
                                           const variable_list& outputs,
                                           const variable_list& saved) {
  // Refuse what cannot be saved before anything changes (PyTorch raises after wrapping).
  if (node)
    for (const Tensor& t : saved) SavedVariable check(t, false);
  auto is_input = [&](const Tensor& t) {
    for (const Tensor& in : inputs)
      if (in.is_same(t)) return true;
    return false;
  };
  variable_list result;
  int num_diff_outputs = 0;
  for (const Tensor& out : outputs) {
    if (!out.defined()) {
      // A non-tensor result still takes an output slot (its gradient is None).
      if (node) node->add_input_metadata(scalar_to_tensor(0.0));
      result.push_back(out);
      continue;
    }
    Tensor var = out;
    const bool input = is_input(var);
    const bool differentiable = node && is_floating(var.dtype());
    const uint32_t output_nr = node ? node->add_input_metadata(var) : 0;
    if (!differentiable) {
      if (!var.requires_grad()) {
        if (input) var = view_as_self_with_no_grad(var);
      } else if (input) {
        var = autograd::detach(var);
      } else if (!autograd::is_view(var)) {
        detach_in_place(var);
      }
    } else {
      if (input) var = view_as_self_with_no_grad(var);
      set_gradient_edge(var, node, output_nr);
      ++num_diff_outputs;
    }
    if (autograd::is_view(var)) autograd::get_autograd_meta(var)->creation_meta_ = CreationMeta::IN_CUSTOM_FUNCTION;
    result.push_back(var);
  }
  if (num_diff_outputs > 1)
    for (const Tensor& var : result)
      if (var.defined() && autograd::is_view(var))
        autograd::get_autograd_meta(var)->creation_meta_ = CreationMeta::MULTI_OUTPUT_NODE;
  if (node)
    for (const Tensor& t : saved) {
      const bool is_output = t.defined() && autograd::grad_fn(t) == node;
      node->saved().emplace_back(t, is_output);
    }
  return result;
}

std::vector<int32_t> take_dead_custom_function_ids() {
  std::vector<int32_t> out;
  out.swap(dead_ids());
  return out;
}

}  // namespace webtorch
