#include "autograd/engine.h"

#include <algorithm>
#include <cmath>

#include "autograd/accumulate_grad.h"
#include "autograd/anomaly.h"
#include "autograd/variable.h"
#include "autograd/view_nodes.h"
#include "core/anomaly_mode.h"
#include "core/autograd_state.h"
#include "core/error.h"
#include "autograd/ops/ops.h"

namespace webtorch {

namespace {

// The node the pass starts from: it hands each root its gradient.
class GraphRoot : public Node {
 public:
  explicit GraphRoot(variable_list grads) : grads_(std::move(grads)) {}
  std::string name() const override { return "GraphRoot"; }
  variable_list apply(variable_list&&) override { return grads_; }

 private:
  variable_list grads_;
};

// Note [Grad mode of a backward pass]
// Backward formulas run with grad mode = create_graph, whatever the caller's grad mode (torch
// 1.13's GraphTask sets it in its thread-local state): so autograd.grad(..., createGraph)
// inside noGrad still records. Inference mode stays as the caller set it (the GraphTask runs
// under the caller's thread-local state, its excluded dispatch keys included): a backward
// inside inferenceMode makes inference gradients, unrecorded even with create_graph, and accumulating into one later, outside the
// mode, fails as in PyTorch.
struct BackwardModeGuard {
  explicit BackwardModeGuard(bool create_graph) : prev(AutogradState::get_tls_state()) {
    AutogradState::set_tls_state(AutogradState(create_graph, prev.inference_mode, prev.autograd_excluded,
                                                prev.inplace_or_view_excluded));
  }
  ~BackwardModeGuard() { AutogradState::set_tls_state(prev); }
  AutogradState prev;
};

std::string torch_size(IntArrayRef sizes) { return str("torch.Size(", sizes, ")"); }

bool heap_less(const std::shared_ptr<Node>& a, const std::shared_ptr<Node>& b) {
  return a->sequence_nr() < b->sequence_nr();
}

}  // namespace

GraphTask::GraphTask(const variable_list& outputs, variable_list grad_outputs, bool keep_graph,
                     const variable_list& capture_inputs, bool allow_unused, bool create_graph,
                     bool accumulate_into_inputs)
    : capture_mode_(!capture_inputs.empty()),
      allow_unused_(allow_unused),
      keep_graph_(keep_graph),
      create_graph_(create_graph) {
  WT_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "grad requires ",
           outputs.size(), " gradients but ", grad_outputs.size(), " were given");
  grad_outputs.resize(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    Tensor& g = grad_outputs[i];
    if (g.defined()) {
      WT_CHECK(out.sizes().equals(g.sizes()), "Mismatch in shape: grad_output[", i,
               "] has a shape of ", torch_size(g.sizes()), " and output[", i, "] has a shape of ",
               torch_size(out.sizes()), ".");
    } else if (out.requires_grad()) {
      WT_CHECK(out.numel() == 1, "grad can be implicitly created only for scalar outputs");
      BackwardModeGuard guard(false);
      g = ones_like(out);
    }
  }
  std::vector<Edge> roots;
  for (size_t i = 0; i < outputs.size(); ++i) {
    roots.push_back(autograd::gradient_edge(outputs[i]));
    WT_CHECK(roots.back().is_valid(), "element ", i,
             " of tensors does not require grad and does not have a grad_fn");
  }
  for (const Tensor& input : capture_inputs) {
    WT_CHECK(input.requires_grad(), "One of the differentiated Tensors does not require grad");
    Edge e = autograd::gradient_edge(input);
    captures_.push_back(Capture{e.function.get(), e.input_nr});
  }
  captured_.resize(captures_.size());

  root_ = make_node_ptr<GraphRoot>(std::move(grad_outputs));
  root_->set_next_edges(roots);
  compute_dependencies(roots);
  if (capture_mode_) compute_needed();
  if (accumulate_into_inputs) {
    // The inputs' own nodes run too; nothing is captured.
    for (const Capture& c : captures_) needed_[c.fn] = true;
    captures_.clear();
    captured_.clear();
  }
  push_ready(NodeTask{root_, {}});
}

void GraphTask::compute_dependencies(const std::vector<Edge>& roots) {
  std::vector<Node*> stack;
  std::unordered_map<Node*, bool> seen;
  for (const Edge& e : roots) {
    if (!e.is_valid()) continue;
    dependencies_[e.function.get()] += 1;
    if (!seen[e.function.get()]) {
      seen[e.function.get()] = true;
      stack.push_back(e.function.get());
    }
  }
  while (!stack.empty()) {
    Node* fn = stack.back();
    stack.pop_back();
    for (const Edge& e : fn->next_edges()) {
      if (!e.is_valid()) continue;
      Node* next = e.function.get();
      dependencies_[next] += 1;
      if (!seen[next]) {
        seen[next] = true;
        stack.push_back(next);
      }
    }
  }
}

// needed[fn]: some path from fn reaches a capture. Post-order over an explicit stack.
void GraphTask::compute_needed() {
  std::unordered_map<Node*, bool> is_target;
  for (const Capture& c : captures_) is_target[c.fn] = true;
  struct Frame {
    Node* fn;
    size_t next;
  };
  std::vector<Frame> stack{{root_.get(), 0}};
  std::unordered_map<Node*, bool> visited{{root_.get(), true}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const auto& edges = f.fn->next_edges();
    if (f.next < edges.size()) {
      const Edge& e = edges[f.next++];
      if (e.is_valid() && !visited[e.function.get()]) {
        visited[e.function.get()] = true;
        stack.push_back(Frame{e.function.get(), 0});
      }
      continue;
    }
    bool need = false;
    for (const Edge& e : edges) {
      if (!e.is_valid()) continue;
      Node* next = e.function.get();
      if (is_target[next] || needed_[next]) need = true;
    }
    needed_[f.fn] = need;
    stack.pop_back();
  }
}

bool GraphTask::needed(Node* fn) const {
  if (!capture_mode_) return true;
  auto it = needed_.find(fn);
  return it != needed_.end() && it->second;
}

void GraphTask::push_ready(NodeTask task) {
  ready_.push_back(std::move(task));
  std::push_heap(ready_.begin(), ready_.end(),
                 [](const NodeTask& a, const NodeTask& b) { return heap_less(a.fn, b.fn); });
}

GraphTask::NodeTask GraphTask::pop_ready() {
  std::pop_heap(ready_.begin(), ready_.end(),
                [](const NodeTask& a, const NodeTask& b) { return heap_less(a.fn, b.fn); });
  NodeTask t = std::move(ready_.back());
  ready_.pop_back();
  return t;
}

namespace {

// torch 1.13's engine check after a node ran, in anomaly mode with check_nan.
void check_nan(const Node& fn, const variable_list& outputs) {
  if (!AnomalyMode::should_check_nan()) return;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    if (!out.defined() || !is_floating(out.dtype())) continue;
    const Tensor values = out.is_contiguous() ? out : contiguous_clone(out);
    const float* p = values.data<float>();
    for (int64_t k = 0; k < values.numel(); ++k)
      WT_CHECK(!std::isnan(p[k]), "Function '", fn.name(), "' returned nan values in its ", i, "th output.");
  }
}

// What torch prints as a warning in anomaly mode when a node fails (Note [Anomaly mode]),
// appended to the error here since JavaScript has no warning channel to pair it with.
[[noreturn]] void throw_with_forward_stack(const Node& fn, const Error& e) {
  const std::string& stack = forward_stack(&fn);
  if (stack.empty()) throw e;
  throw_error(str(e.message(), "\nError detected in ", fn.name(),
                  ". Traceback of forward call that caused the error:\n", stack));
}

}  // namespace

GraphTask::Status GraphTask::run() {
  BackwardModeGuard guard(create_graph_);
  for (;;) {
    if (phase_ == Phase::Idle) {
      if (ready_.empty()) return Status::Done;
      current_ = pop_ready();
      Node* fn = current_.fn.get();
      // autograd.grad takes its gradients where they enter the input's node, before hooks
      // (PyTorch 1.13's order).
      for (size_t k = 0; k < captures_.size(); ++k) {
        const Capture& c = captures_[k];
        if (c.fn == fn && c.input_nr < current_.inputs.size()) captured_[k] = current_.inputs[c.input_nr];
      }
      // A leaf whose requires_grad was switched off after the graph was built gets nothing,
      // and its hooks do not run (PyTorch's AccumulateGrad checks the flag at backward time).
      if ((!needed(fn) && fn != root_.get()) || !fn->is_active(current_.inputs)) {
        current_ = NodeTask{};
        continue;
      }
      phase_ = Phase::PreHooks;
      pre_hook_index_ = hook_index_ = 0;
      // Note [autograd.grad runs what CopySlices wraps]
      // PyTorch 1.13's CopySlices, run by autograd.grad, marks every next node of the in-place
      // op it wraps as needed (a workaround in torch for its graph walk not entering CopySlices),
      // so e.g. the AccumulateGrad of the in-place op's source runs and fills its .grad.
      if (capture_mode_)
        if (auto* slices = dynamic_cast<CopySlices*>(fn); slices && slices->wrapped())
          for (const Edge& e : slices->wrapped()->next_edges())
            if (e.is_valid()) needed_[e.function.get()] = true;
    }
    if (phase_ == Phase::PreHooks) {
      if (run_pre_hooks() == Status::NeedsHook) return Status::NeedsHook;
      phase_ = Phase::Apply;
    }
    if (phase_ == Phase::Apply) {
      Node* fn = current_.fn.get();
      if (fn->external_function_id() >= 0) {
        // JavaScript sees zeros for gradients that did not arrive (materialize_grads).
        const auto& meta = fn->input_metadata();
        current_.inputs.resize(meta.size());
        for (size_t i = 0; i < meta.size(); ++i)
          if (!current_.inputs[i].defined()) current_.inputs[i] = zeros(meta[i].sizes, meta[i].dtype);
        phase_ = Phase::Distribute;
        return Status::NeedsFunction;
      }
      current_.inputs.resize(std::max(current_.inputs.size(), fn->num_inputs()));
      const bool any_defined = std::any_of(current_.inputs.begin(), current_.inputs.end(),
                                           [](const Tensor& g) { return g.defined(); });
      if (any_defined || fn == root_.get()) {
        if (!AnomalyMode::is_enabled()) {
          distribute(fn->apply(std::move(current_.inputs)));
          continue;
        }
        variable_list outputs;
        try {
          outputs = fn->apply(std::move(current_.inputs));
          check_nan(*fn, outputs);
        } catch (const Error& e) {
          throw_with_forward_stack(*fn, e);
        }
        distribute(std::move(outputs));
        continue;
      }
      // Note [A node given no gradient]
      // PyTorch's generated formulas unpack their saved tensors (failing as usual for one
      // modified in place or freed) and then give no gradient when none arrived
      // (any_grad_defined), e.g. behind a custom backward that returned null. Here the
      // formula runs on zeros for those checks and its result is dropped. The hand-written
      // nodes return first: AccumulateGrad (which must not add the zeros) and CopySlices.
      if (!dynamic_cast<AccumulateGrad*>(fn) && !dynamic_cast<CopySlices*>(fn)) {
        const auto& meta = fn->input_metadata();
        variable_list zero_grads(meta.size());
        for (size_t i = 0; i < meta.size(); ++i) zero_grads[i] = zeros(meta[i].sizes, meta[i].dtype);
        fn->apply(std::move(zero_grads));
      }
      distribute(variable_list(fn->next_edges().size()));
    }
  }
}

GraphTask::Status GraphTask::run_pre_hooks() {
  auto& pre_hooks = current_.fn->pre_hooks();
  for (; pre_hook_index_ < pre_hooks.size(); ++pre_hook_index_, hook_index_ = 0) {
    const Node::PreHook& ph = pre_hooks[pre_hook_index_];
    if (ph.input_nr >= current_.inputs.size()) current_.inputs.resize(ph.input_nr + 1);
    // A non-leaf's hook also runs for a gradient that did not arrive (PyTorch passes None: an
    // unused output of a multi-output node, a custom backward that returned null). A leaf's
    // run inside AccumulateGrad, which returns first then; retain_grad() keeps nothing (torch
    // 1.13 fails there, a program the recorder drops).
    if (!current_.inputs[ph.input_nr].defined() &&
        (ph.retained || dynamic_cast<AccumulateGrad*>(current_.fn.get())))
      continue;
    if (ph.retained) {
      // retain_grad(): keeps a copy, never replaces the gradient.
      Tensor& kept = ph.retained->grad;
      const Tensor& g = current_.inputs[ph.input_nr];
      kept = kept.defined() ? add(kept, g) : contiguous_clone(g);
      continue;
    }
    if (!ph.hooks) continue;  // a retain_grad() cell that moved to another node
    for (; hook_index_ < ph.hooks->hooks.size(); ++hook_index_) {
      const Hook& hook = ph.hooks->hooks[hook_index_];
      if (hook.is_external()) {
        pending_hook_id_ = hook.external_id;
        pending_hook_grad_ = current_.inputs[ph.input_nr];
        return Status::NeedsHook;
      }
      Tensor replaced = hook.native(current_.inputs[ph.input_nr]);
      if (replaced.defined()) {
        WT_CHECK(current_.inputs[ph.input_nr].defined(), "can't replace a None gradient with a non-None value");
        current_.inputs[ph.input_nr] = replaced;
      }
    }
  }
  return Status::Done;
}

void GraphTask::resume_hook(const Tensor& replacement) {
  WT_CHECK(phase_ == Phase::PreHooks && pending_hook_id_ >= 0, "no hook is pending");
  const Node::PreHook& ph = current_.fn->pre_hooks()[pre_hook_index_];
  if (replacement.defined()) {
    const Tensor& g = current_.inputs[ph.input_nr];
    WT_CHECK(g.defined(), "can't replace a None gradient with a non-None value");
    WT_CHECK(replacement.sizes().equals(g.sizes()), "hook 'hook' has changed the size of value");
    current_.inputs[ph.input_nr] = replacement;
  }
  pending_hook_id_ = -1;
  pending_hook_grad_ = Tensor();
  ++hook_index_;
}

void GraphTask::resume_function(variable_list grads) {
  WT_CHECK(phase_ == Phase::Distribute, "no custom function backward is pending");
  BackwardModeGuard guard(create_graph_);
  Node* fn = current_.fn.get();
  WT_CHECK(grads.size() == fn->num_outputs(), "function ", fn->name(),
           " returned an incorrect number of gradients (expected ", fn->num_outputs(), ", got ",
           grads.size(), ")");
  if (AnomalyMode::is_enabled()) {
    try {
      check_nan(*fn, grads);
    } catch (const Error& e) {
      throw_with_forward_stack(*fn, e);
    }
  }
  distribute(std::move(grads));
}

void GraphTask::distribute(variable_list outputs) {
  Node* fn = current_.fn.get();
  const auto& edges = fn->next_edges();
  WT_CHECK(outputs.size() >= edges.size(), "function ", fn->name(),
           " returned an incorrect number of gradients (expected ", edges.size(), ", got ",
           outputs.size(), ")");
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (!e.is_valid() || !outputs[i].defined()) continue;
    const InputMetadata& meta = e.function->input_metadata()[e.input_nr];
    Tensor& g = outputs[i];
    if (!g.sizes().equals(meta.sizes)) {
      WT_CHECK(is_expandable_to(meta.sizes, g.sizes()), "Function ", fn->name(),
               " returned an invalid gradient at index ", i, " - got ", g.sizes(),
               " but expected shape compatible with ", IntArrayRef(meta.sizes));
      g = sum_to(g, meta.sizes);
    }
    if (g.dtype() != meta.dtype) g = to_dtype(g, meta.dtype);
  }
  if (!keep_graph_) fn->release_variables();
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (!e.is_valid()) continue;
    Node* next = e.function.get();
    variable_list& buffer = not_ready_[next];
    if (buffer.size() < next->num_inputs()) buffer.resize(next->num_inputs());
    if (outputs[i].defined()) {
      Tensor& slot = buffer[e.input_nr];
      slot = slot.defined() ? add(slot, outputs[i]) : outputs[i];
    }
    if (--dependencies_[next] == 0) {
      NodeTask task{e.function, std::move(buffer)};
      not_ready_.erase(next);
      push_ready(std::move(task));
    }
  }
  current_ = NodeTask{};
  phase_ = Phase::Idle;
}

variable_list GraphTask::captured() const {
  for (const Tensor& g : captured_)
    WT_CHECK(g.defined() || allow_unused_,
             "One of the differentiated Tensors appears to not have been used in the graph. Set "
             "allow_unused=True if this is the desired behavior.");
  return captured_;
}

namespace autograd {

namespace {
void run_native(GraphTask& task) {
  GraphTask::Status s = task.run();
  WT_CHECK(s == GraphTask::Status::Done,
           "a JavaScript hook or autograd.Function needs the JavaScript backward driver");
}
}  // namespace

void backward(const variable_list& outputs, const variable_list& grad_outputs, bool keep_graph,
              bool create_graph) {
  GraphTask task(outputs, grad_outputs, keep_graph, {}, false, create_graph);
  run_native(task);
}

variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs, bool keep_graph, bool allow_unused,
                   bool create_graph) {
  WT_CHECK(!inputs.empty(), "grad requires non-empty inputs.");
  GraphTask task(outputs, grad_outputs, keep_graph, inputs, allow_unused, create_graph);
  run_native(task);
  return task.captured();
}

}  // namespace autograd
}  // namespace webtorch
