// Autograd on tensors, the resumable backward driver, and torch.autograd.Function records,
// for js/autograd.mjs (Note [Resumable engine]).

#include "autograd/custom_function.h"
#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "export.h"
#include "autograd/ops/ops.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }
GraphTask* task_of(uint32_t t) { return reinterpret_cast<GraphTask*>(uintptr_t(t)); }
variable_list scratch_tensors(int32_t offset, int32_t n) {
  WT_CHECK(n >= 0 && offset + n <= kScratchInts, "too many tensors in one call (", n, ")");
  variable_list out;
  for (int32_t i = 0; i < n; ++i) {
    const Handle h = Handle(scratch_i32()[offset + i]);
    out.push_back(h ? T(h) : Tensor());
  }
  return out;
}
// Writes new handles (0 for undefined) into scratch; returns the count.
int32_t to_scratch(const variable_list& ts) {
  WT_CHECK(ts.size() <= size_t(kScratchInts), "too many tensors to return (", ts.size(), ")");
  for (size_t i = 0; i < ts.size(); ++i) scratch_i32()[i] = int32_t(ts[i].defined() ? to_handle(ts[i]) : 0);
  return int32_t(ts.size());
}
}  // namespace

WT_EXPORT int32_t wt_requires_grad(Handle h) { return T(h).requires_grad(); }
WT_EXPORT int32_t wt_requires_grad_(Handle h, int32_t flag) {
  return status_result([&] { autograd::requires_grad_(T(h), flag != 0); });
}
// is_leaf reads grad_fn, which can throw for a view whose base changed (-1).
WT_EXPORT int32_t wt_is_leaf(Handle h) { return int_result([&] { return autograd::is_leaf(T(h)); }); }
WT_EXPORT int32_t wt_is_view(Handle h) { return autograd::is_view(T(h)); }
// 1 and the handle in scratch when a grad exists, 0 when none, -1 on error.
WT_EXPORT int32_t wt_grad(Handle h) {
  return int_result([&] {
    Tensor g = autograd::grad(T(h));
    if (!g.defined()) return 0;
    scratch_i32()[0] = int32_t(to_handle(g));
    return 1;
  });
}
WT_EXPORT int32_t wt_set_grad(Handle h, Handle g) {
  return status_result([&] {
    Tensor t = T(h);
    if (g) {
      Tensor gt = T(g);
      // PyTorch's checks, in its order. Its own grad would be a reference cycle: a leak.
      WT_CHECK(!gt.is_same(t), "can't assign Variable as its own grad");
      WT_CHECK(gt.dtype() == t.dtype(), "assigned grad has data of a different type");
      WT_CHECK(gt.sizes().equals(t.sizes()), "assigned grad has data of a different size");
      autograd::set_grad(t, gt);
    } else {
      autograd::set_grad(t, Tensor());
    }
  });
}
WT_EXPORT int32_t wt_detach_(Handle h) { return status_result([&] { autograd::detach_(T(h)); }); }
WT_EXPORT int32_t wt_retain_grad(Handle h) { return status_result([&] { autograd::retain_grad(T(h)); }); }
WT_EXPORT int32_t wt_retains_grad(Handle h) { return autograd::retains_grad(T(h)); }
WT_EXPORT int32_t wt_register_hook(Handle h, int32_t id) {
  return status_result([&] { autograd::register_hook(T(h), Hook{{}, id}); });
}

// ---- backward / autograd.grad as resumable tasks (handles in scratch) ----
// scratch: outputs[n_out], grads[n_grads], inputs[n_in] (backward's inputs=; none: every leaf).
WT_EXPORT uint32_t wt_backward_begin(int32_t n_out, int32_t n_grads, int32_t n_in, int32_t retain, int32_t create) {
  return guarded<uint32_t>(0, [&] {
    variable_list outs = scratch_tensors(0, n_out);
    variable_list grads = scratch_tensors(n_out, n_grads);
    variable_list ins = scratch_tensors(n_out + n_grads, n_in);
    return uint32_t(reinterpret_cast<uintptr_t>(new GraphTask(outs, grads, retain != 0, ins, false, create != 0, !ins.empty())));
  });
}
// scratch: outputs[n_out], inputs[n_in], grads[n_grads]
WT_EXPORT uint32_t wt_grad_begin(int32_t n_out, int32_t n_in, int32_t n_grads, int32_t retain,
                                 int32_t allow_unused, int32_t create) {
  return guarded<uint32_t>(0, [&] {
    variable_list outs = scratch_tensors(0, n_out);
    variable_list ins = scratch_tensors(n_out, n_in);
    variable_list grads = scratch_tensors(n_out + n_in, n_grads);
    WT_CHECK(!ins.empty(), "grad requires non-empty inputs.");
    return uint32_t(reinterpret_cast<uintptr_t>(new GraphTask(outs, grads, retain != 0, ins, allow_unused != 0, create != 0)));
  });
}
// 0 done, 1 a hook is pending, 2 a custom function backward is pending, -1 error.
WT_EXPORT int32_t wt_task_run(uint32_t t) { return int_result([&] { return int32_t(task_of(t)->run()); }); }
WT_EXPORT int32_t wt_task_hook_id(uint32_t t) { return task_of(t)->pending_hook_id(); }
WT_EXPORT Handle wt_task_hook_grad(uint32_t t) { return to_handle(task_of(t)->pending_hook_grad()); }
WT_EXPORT int32_t wt_task_resume_hook(uint32_t t, Handle replacement) {
  return status_result([&] { task_of(t)->resume_hook(replacement ? T(replacement) : Tensor()); });
}
WT_EXPORT int32_t wt_task_function_id(uint32_t t) { return task_of(t)->pending_function()->external_function_id(); }
// The gradients for the pending custom backward, as new handles in scratch; returns count.
WT_EXPORT int32_t wt_task_function_grads(uint32_t t) {
  return int_result([&] { return to_scratch(task_of(t)->pending_function_grads()); });
}
WT_EXPORT int32_t wt_task_resume_function(uint32_t t, int32_t n) {
  return status_result([&] { task_of(t)->resume_function(scratch_tensors(0, n)); });
}
WT_EXPORT int32_t wt_task_captured(uint32_t t) {
  return int_result([&] { return to_scratch(task_of(t)->captured()); });
}
WT_EXPORT void wt_task_free(uint32_t t) { delete task_of(t); }

// ---- torch.autograd.Function (step 1 is in bindings.cpp: it takes the name) ----
using PendingFunction = std::shared_ptr<CustomFunction>;
// Step 3 (custom_function.h). pending: the box from customFunctionBegin, or 0; it is consumed.
// scratch in: inputs[n_in], outputs[n_out] (0: not a tensor), saved[n_saved]. scratch out:
// the weak node box (0: not recorded), then per output a new handle when the output was
// replaced (an input returned as is), else 0. Returns 1 + n_out, -1 on error.
WT_EXPORT int32_t wt_custom_function_wrap(uint32_t pending, int32_t n_in, int32_t n_out, int32_t n_saved) {
  std::unique_ptr<PendingFunction> box(reinterpret_cast<PendingFunction*>(uintptr_t(pending)));
  return int_result([&] {
    const PendingFunction node = box ? *box : nullptr;
    const variable_list ins = scratch_tensors(0, n_in);
    const variable_list outs = scratch_tensors(n_in, n_out);
    const variable_list saved = scratch_tensors(n_in + n_out, n_saved);
    const variable_list wrapped = wrap_custom_function_outputs(node, ins, outs, saved);
    WT_CHECK(n_out + 1 <= kScratchInts, "too many outputs (", n_out, ")");
    scratch_i32()[0] = node ? int32_t(reinterpret_cast<uintptr_t>(new std::weak_ptr<CustomFunction>(node))) : 0;
    for (int32_t i = 0; i < n_out; ++i) {
      const bool replaced = wrapped[size_t(i)].defined() && !wrapped[size_t(i)].is_same(outs[size_t(i)]);
      scratch_i32()[1 + i] = replaced ? int32_t(to_handle(wrapped[size_t(i)])) : 0;
    }
    return 1 + n_out;
  });
}
// Drops a pending call whose forward threw.
WT_EXPORT void wt_custom_function_abandon(uint32_t pending) {
  delete reinterpret_cast<PendingFunction*>(uintptr_t(pending));
}
// The saved tensors of a recorded call, version-checked, as new handles; -1 on error.
WT_EXPORT int32_t wt_custom_function_saved(uint32_t box) {
  return int_result([&] {
    auto node = reinterpret_cast<std::weak_ptr<CustomFunction>*>(uintptr_t(box))->lock();
    WT_CHECK(node, "the graph of this autograd.Function call has been freed");
    return to_scratch(node->unpack_saved());
  });
}
WT_EXPORT void wt_custom_function_box_free(uint32_t box) {
  delete reinterpret_cast<std::weak_ptr<CustomFunction>*>(uintptr_t(box));
}
