// Entry points for torch.nn, torch.optim and safetensors (js/nn/, js/optim/,
// js/safetensors.mjs).

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdlib>

#include "core/error.h"
#include "export.h"
#include "io/safetensors.h"

using namespace emscripten;
using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }
}  // namespace

// ---- raw byte buffers (a file to parse is copied in once) ----
WT_EXPORT uint32_t wt_bytes_alloc(uint32_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) last_error() = str("DefaultCPUAllocator: can't allocate memory: you tried to allocate ", n, " bytes.");
  return uint32_t(reinterpret_cast<uintptr_t>(p));
}
WT_EXPORT void wt_bytes_free(uint32_t p) { std::free(reinterpret_cast<void*>(uintptr_t(p))); }

namespace {

val metadata_object(const safetensors::Header& h) {
  val meta = val::array();
  for (const auto& kv : h.metadata) {
    val pair = val::array();
    pair.call<void>("push", kv.first);
    pair.call<void>("push", kv.second);
    meta.call<void>("push", pair);
  }
  return meta;
}

// { names, handles, metadata: [[k, v], ...] } for the file in wasm memory [ptr, ptr + size);
// undefined on error (lastError). Every tensor or none: the handles are made only once all
// tensors are loaded.
val safetensors_load(uint32_t ptr, uint32_t size) {
  return guarded<val>(val::undefined(), [&] {
    safetensors::Header header;
    auto tensors = safetensors::load(reinterpret_cast<const uint8_t*>(uintptr_t(ptr)), size, &header);
    val names = val::array(), handles = val::array();
    for (const auto& nt : tensors) names.call<void>("push", nt.first);
    for (const auto& nt : tensors) handles.call<void>("push", to_handle(nt.second));
    val out = val::object();
    out.set("names", names);
    out.set("handles", handles);
    out.set("metadata", metadata_object(header));
    return out;
  });
}

// The header only: { names, dtypes, shapes, metadata } (no tensor is made).
val safetensors_header(uint32_t ptr, uint32_t size) {
  return guarded<val>(val::undefined(), [&] {
    const auto header = safetensors::parse_header(reinterpret_cast<const uint8_t*>(uintptr_t(ptr)), size);
    val names = val::array(), dtypes = val::array(), shapes = val::array();
    for (const auto& t : header.tensors) {
      names.call<void>("push", t.name);
      dtypes.call<void>("push", std::string(safetensors::dtype_name(t.dtype)));
      val shape = val::array();
      for (int64_t s : t.shape) shape.call<void>("push", double(s));
      shapes.call<void>("push", shape);
    }
    val out = val::object();
    out.set("names", names);
    out.set("dtypes", dtypes);
    out.set("shapes", shapes);
    out.set("metadata", metadata_object(header));
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(webtorch_nn) {
  function("safetensorsLoad", &safetensors_load);
  function("safetensorsHeader", &safetensors_header);
}
