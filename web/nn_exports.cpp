// Entry points for torch.nn, torch.optim and safetensors (js/nn/, js/optim/,
// js/safetensors.mjs).

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdlib>

#include "autograd/variable.h"
#include "core/error.h"
#include "export.h"
#include "io/safetensors.h"
#include "autograd/ops/nn_ops.h"

using namespace emscripten;
using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }
// An optional tensor argument: 0 is "None".
Tensor opt(Handle h) { return h ? from_handle(h) : Tensor(); }
Reduction reduction_of(int32_t r) {
  WT_CHECK(r == constants::kReductionNone || r == constants::kReductionMean || r == constants::kReductionSum,
           "unknown reduction ", r);
  return Reduction(r);
}
// A new handle in scratch slot i for a tensor an op created, 0 when none.
void state_out(int i, const Tensor& before, const Tensor& after) {
  scratch_i32()[i] = !before.defined() && after.defined() ? int32_t(to_handle(after)) : 0;
}
}  // namespace

// ---- torch.nn.functional ----
WT_EXPORT Handle wt_linear(Handle x, Handle w, Handle b) {
  return tensor_result([&] { return linear(T(x), T(w), opt(b)); });
}
// scratch: stride[ns], padding[np], dilation[nd]
WT_EXPORT Handle wt_conv2d(Handle x, Handle w, Handle b, int32_t ns, int32_t np, int32_t nd, int32_t groups) {
  return tensor_result([&] {
    WT_CHECK(ns >= 0 && np >= 0 && nd >= 0 && ns + np + nd <= kScratchInts, "too many conv2d parameters");
    const int32_t* s = scratch_i32();
    DimVector stride, padding, dilation;
    for (int32_t i = 0; i < ns; ++i) stride.push_back(s[i]);
    for (int32_t i = 0; i < np; ++i) padding.push_back(s[ns + i]);
    for (int32_t i = 0; i < nd; ++i) dilation.push_back(s[ns + np + i]);
    return conv2d(T(x), T(w), opt(b), stride, padding, dilation, groups);
  });
}
// padding: CONV_PADDING of js/constants.mjs ('valid' or 'same'); scratch: stride[ns], dilation[nd]
WT_EXPORT Handle wt_conv2d_padding_mode(Handle x, Handle w, Handle b, int32_t ns, int32_t nd, int32_t same,
                                        int32_t groups) {
  return tensor_result([&] {
    WT_CHECK(ns >= 0 && nd >= 0 && ns + nd <= kScratchInts, "too many conv2d parameters");
    const int32_t* s = scratch_i32();
    DimVector stride, dilation;
    for (int32_t i = 0; i < ns; ++i) stride.push_back(s[i]);
    for (int32_t i = 0; i < nd; ++i) dilation.push_back(s[ns + i]);
    return conv2d(T(x), T(w), opt(b), stride, std::string(same == constants::kConvPaddingSame ? "same" : "valid"), dilation, groups);
  });
}
// scratch: stride[ns], padding[np], output_padding[nop], dilation[nd]
WT_EXPORT Handle wt_conv_transpose2d(Handle x, Handle w, Handle b, int32_t ns, int32_t np, int32_t nop, int32_t nd,
                                     int32_t groups) {
  return tensor_result([&] {
    WT_CHECK(ns >= 0 && np >= 0 && nop >= 0 && nd >= 0 && ns + np + nop + nd <= kScratchInts,
             "too many conv_transpose2d parameters");
    const int32_t* s = scratch_i32();
    const auto take = [&](int32_t n) {
      DimVector v;
      for (int32_t i = 0; i < n; ++i) v.push_back(*s++);
      return v;
    };
    const DimVector stride = take(ns), padding = take(np), output_padding = take(nop), dilation = take(nd);
    return conv_transpose2d(T(x), T(w), opt(b), stride, padding, output_padding, dilation, groups);
  });
}
WT_EXPORT Handle wt_binary_cross_entropy(Handle x, Handle t, Handle w, int32_t reduction) {
  return tensor_result([&] { return binary_cross_entropy(T(x), T(t), opt(w), reduction_of(reduction)); });
}
WT_EXPORT Handle wt_binary_cross_entropy_with_logits(Handle x, Handle t, Handle w, Handle pw, int32_t reduction) {
  return tensor_result(
      [&] { return binary_cross_entropy_with_logits(T(x), T(t), opt(w), opt(pw), reduction_of(reduction)); });
}
WT_EXPORT Handle wt_embedding(Handle w, Handle indices, int32_t padding_idx) {
  return tensor_result([&] { return embedding(T(w), T(indices), padding_idx); });
}
// scratch: normalized_shape[n]
WT_EXPORT Handle wt_layer_norm(Handle x, int32_t n, Handle w, Handle b, double eps) {
  return tensor_result([&] {
    WT_CHECK(n >= 0 && n <= kScratchInts, "too many normalized_shape dims");
    DimVector shape;
    for (int32_t i = 0; i < n; ++i) shape.push_back(scratch_i32()[i]);
    return layer_norm(T(x), shape, opt(w), opt(b), eps);
  });
}
WT_EXPORT Handle wt_nll_loss_nd(Handle x, Handle t, Handle w, int32_t reduction, int32_t ignore_index) {
  return tensor_result([&] { return nll_loss_nd(T(x), T(t), opt(w), reduction_of(reduction), ignore_index); });
}
WT_EXPORT Handle wt_mse_loss(Handle x, Handle t, int32_t reduction) {
  return tensor_result([&] { return mse_loss(T(x), T(t), reduction_of(reduction)); });
}

// ---- torch.optim: one parameter's update. 0: the parameter has no grad (nothing done),
// 1: updated, -1: error. State tensors created by the step are returned in scratch. ----
WT_EXPORT int32_t wt_sgd_step(Handle param, Handle buf, double lr, double momentum, double dampening,
                              double weight_decay, int32_t nesterov, int32_t maximize) {
  return int_result([&] {
    const Tensor p = T(param);
    const Tensor g = autograd::grad(p);
    if (!g.defined()) return 0;
    SgdOptions o;
    o.lr = lr, o.momentum = momentum, o.dampening = dampening, o.weight_decay = weight_decay;
    o.nesterov = nesterov != 0, o.maximize = maximize != 0;
    const Tensor before = opt(buf);
    Tensor b = before;
    sgd_step(p, g, &b, o);
    state_out(0, before, b);
    return 1;
  });
}
WT_EXPORT int32_t wt_adam_step(Handle param, Handle m, Handle v, Handle vmax, double step, double lr, double beta1,
                               double beta2, double eps, double weight_decay, int32_t amsgrad, int32_t maximize) {
  return int_result([&] {
    const Tensor p = T(param);
    const Tensor g = autograd::grad(p);
    if (!g.defined()) return 0;
    AdamOptions o;
    o.lr = lr, o.beta1 = beta1, o.beta2 = beta2, o.eps = eps, o.weight_decay = weight_decay;
    o.amsgrad = amsgrad != 0, o.maximize = maximize != 0;
    const Tensor m0 = opt(m), v0 = opt(v), vmax0 = opt(vmax);
    Tensor m1 = m0, v1 = v0, vmax1 = vmax0;
    adam_step(p, g, &m1, &v1, &vmax1, step, o);
    state_out(0, m0, m1);
    state_out(1, v0, v1);
    state_out(2, vmax0, vmax1);
    return 1;
  });
}

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

// ---- random fills and dropout ----
WT_EXPORT int32_t wt_uniform_(Handle h, double from, double to) {
  return status_result([&] { uniform_(T(h), from, to); });
}
WT_EXPORT Handle wt_dropout(Handle x, double p, int32_t train, int32_t inplace) {
  return tensor_result([&] { return inplace ? dropout_(T(x), p, train != 0) : dropout(T(x), p, train != 0); });
}
WT_EXPORT Handle wt_cross_entropy(Handle x, Handle t, Handle w, int32_t reduction, int32_t ignore_index,
                                  double label_smoothing) {
  return tensor_result([&] {
    return cross_entropy(T(x), T(t), opt(w), reduction_of(reduction), ignore_index, label_smoothing);
  });
}
WT_EXPORT int32_t wt_normal_(Handle h, double mean, double std) {
  return status_result([&] { normal_(T(h), mean, std); });
}
