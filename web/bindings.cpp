// embind: the entry points that carry strings or objects (error text, dtype and node names,
// memory statistics, build info). The per-op hot path is in the plain C exports.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "autograd/anomaly.h"
#include "autograd/custom_function.h"
#include "autograd/variable.h"
#include "core/dtype.h"
#include "core/memory_stats.h"
#include "error_bridge.h"
#include "handles.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"

using namespace emscripten;
using namespace webtorch;
using namespace webtorch::web;

namespace {

std::string get_last_error() { return last_error(); }

std::string dtype_name(int32_t i) { return i >= 0 && i < kNumScalarTypes ? name(ScalarType(i)) : ""; }

// null when the tensor has no grad_fn; undefined on error (read lastError).
val grad_fn_name(uint32_t h) {
  return guarded<val>(val::undefined(), [&] {
    auto fn = autograd::grad_fn(from_handle(h));
    return fn ? val(fn->name()) : val::null();
  });
}

// Anomaly mode: the JavaScript stack of the forward call that made the tensor's grad_fn
// (record_forward_stack). false (nothing to do) when the tensor has no grad_fn or it has a
// stack already; undefined on error.
val set_forward_stack(uint32_t h, std::string stack) {
  return guarded<val>(val::undefined(), [&] {
    auto fn = autograd::grad_fn(from_handle(h));
    if (!fn || !forward_stack(fn.get()).empty()) return val(false);
    record_forward_stack(fn, stack);
    return val(true);
  });
}

val memory() {
  const MemoryStats& s = memory_stats();
  val out = val::object();
  out.set("tensors", double(s.tensors));
  out.set("bytes", double(s.bytes));
  out.set("graphNodes", double(s.graph_nodes));
  out.set("savedBytes", double(s.saved_bytes));
  out.set("allocations", double(s.allocations));
  return out;
}

val build_info() {
  val out = val::object();
  out.set("version", std::string(WEBTORCH_VERSION));
  out.set("backend", std::string(simd::kBackendName));
  out.set("threaded", kernels::threads_supported());
  return out;
}

// Step 1 of a torch.autograd.Function call (custom_function.h); input handles in scratch.
// Returns a pending node box for wt_custom_function_wrap, 0 when the call is not recorded,
// or undefined on error.
val custom_function_begin(int32_t id, std::string fn_name, int32_t n_in) {
  return guarded<val>(val::undefined(), [&] {
    variable_list ins;
    const int32_t* s = scratch_i32();
    for (int32_t i = 0; i < n_in; ++i) ins.push_back(from_handle(Handle(s[i])));
    auto node = begin_custom_function(id, fn_name, ins);
    if (!node) return val(0);
    return val(uint32_t(reinterpret_cast<uintptr_t>(new std::shared_ptr<CustomFunction>(node))));
  });
}

val dead_custom_function_ids() {
  val out = val::array();
  for (int32_t id : take_dead_custom_function_ids()) out.call<void>("push", id);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(webtorch) {
  function("lastError", &get_last_error);
  function("dtypeCount", +[]() { return kNumScalarTypes; });
  function("dtypeName", &dtype_name);
  function("gradFnName", &grad_fn_name);
  function("setForwardStack", &set_forward_stack);
  function("memory", &memory);
  function("buildInfo", &build_info);
  function("customFunctionBegin", &custom_function_begin);
  function("deadCustomFunctionIds", &dead_custom_function_ids);
}
