#include "autograd/custom_function.h"

#include "autograd/function.h"
#include "core/error.h"

namespace webtorch {

namespace {
std::vector<int32_t>& dead_ids() {
  static std::vector<int32_t> ids;
  return ids;
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

std::shared_ptr<CustomFunction> record_custom_function(int32_t id, const std::string& name,
                                                       const variable_list& inputs,
                                                       const variable_list& outputs,
                                                       const variable_list& saved) {
  bool active = autograd::autograd_active(), normal = false, rg = false;
  for (const Tensor& t : inputs) {
    normal = normal || !t.is_inference();
    rg = rg || t.requires_grad();
  }
  if (!(active && normal && rg)) return nullptr;
  auto node = make_node_ptr<CustomFunction>(id, name);
  std::vector<Edge> edges;
  for (const Tensor& t : inputs) edges.push_back(t.requires_grad() ? autograd::gradient_edge(t) : Edge());
  node->set_next_edges(std::move(edges));
  auto is_output = [&](const Tensor& t) {
    for (const Tensor& o : outputs)
      if (o.is_same(t)) return true;
    return false;
  };
  // Inputs are saved (and checked) before any output changes; outputs are saved after they
  // carry the node, so they are saved as outputs (no reference cycle). Order is kept.
  node->saved().resize(saved.size());
  for (size_t i = 0; i < saved.size(); ++i)
    if (!is_output(saved[i])) node->saved()[i] = SavedVariable(saved[i], false);
  for (const Tensor& out : outputs) autograd::set_history(out, node);
  for (size_t i = 0; i < saved.size(); ++i)
    if (is_output(saved[i])) node->saved()[i] = SavedVariable(saved[i], true);
  return node;
}

std::vector<int32_t> take_dead_custom_function_ids() {
  std::vector<int32_t> out;
  out.swap(dead_ids());
  return out;
}

}  // namespace webtorch
