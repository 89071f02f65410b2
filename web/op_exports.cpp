// The hand-written entry points of the ops of form 'custom' in js/op_table.mjs; the table's
// other ops get theirs generated (codegen/generate.mjs -> op_exports.generated.cpp in the
// build tree). wt_<op> takes tensor operands, wt_<op>_scalar a JavaScript number (value,
// kind). In-place forms return a status.

#include <optional>
#include <vector>

#include "core/error.h"
#include "export.h"
#include "autograd/ops/ops.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }
}  // namespace

// ---- in-place fills and copies ----
WT_EXPORT int32_t wt_zero_(Handle a) { return status_result([&] { zero_(T(a)); }); }
WT_EXPORT int32_t wt_fill_(Handle a, double v, int32_t kind) { return status_result([&] { fill_(T(a), make_scalar(v, kind)); }); }
WT_EXPORT int32_t wt_fill_tensor_(Handle a, Handle v) { return status_result([&] { fill_(T(a), T(v)); }); }
WT_EXPORT int32_t wt_copy_(Handle a, Handle src) { return status_result([&] { copy_(T(a), T(src)); }); }

// ---- dtype conversion ----
WT_EXPORT Handle wt_to(Handle a, int32_t dtype) {
  return tensor_result([&] { return to(T(a), scalar_type_from_index(dtype)); });
}

// ---- the rest of API.md's operators (issue 4) ----

WT_EXPORT Handle wt_pow(Handle a, Handle b) { return tensor_result([&] { return pow(T(a), T(b)); }); }
WT_EXPORT Handle wt_pow_scalar(Handle a, double v, int32_t kind) {
  return tensor_result([&] { return pow(T(a), make_scalar(v, kind)); });
}
WT_EXPORT Handle wt_pow_scalar_base(double v, int32_t kind, Handle b) {
  return tensor_result([&] { return pow(make_scalar(v, kind), T(b)); });
}

namespace {
std::optional<Scalar> bound(int32_t has, double v, int32_t kind) {
  return has ? std::optional<Scalar>(make_scalar(v, kind)) : std::nullopt;
}
}  // namespace
WT_EXPORT Handle wt_clamp(Handle a, int32_t has_min, double min, int32_t min_kind, int32_t has_max, double max,
                          int32_t max_kind) {
  return tensor_result([&] { return clamp(T(a), bound(has_min, min, min_kind), bound(has_max, max, max_kind)); });
}
WT_EXPORT int32_t wt_clamp_(Handle a, int32_t has_min, double min, int32_t min_kind, int32_t has_max, double max,
                            int32_t max_kind) {
  return status_result([&] { clamp_(T(a), bound(has_min, min, min_kind), bound(has_max, max, max_kind)); });
}
// Tensor bounds: handle 0 is None.
WT_EXPORT Handle wt_clamp_tensor(Handle a, Handle min, Handle max) {
  return tensor_result([&] { return clamp(T(a), min ? T(min) : Tensor(), max ? T(max) : Tensor()); });
}
WT_EXPORT int32_t wt_clamp_tensor_(Handle a, Handle min, Handle max) {
  return status_result([&] { clamp_(T(a), min ? T(min) : Tensor(), max ? T(max) : Tensor()); });
}

// where(cond, a, b): a handle of 0 means "the number (v, kind) instead".
WT_EXPORT Handle wt_where(Handle c, Handle a, double av, int32_t ak, Handle b, double bv, int32_t bk) {
  return tensor_result([&] {
    const Tensor cond = T(c);
    if (a && b) return where(cond, T(a), T(b));
    if (a) return where(cond, T(a), make_scalar(bv, bk));
    if (b) return where(cond, make_scalar(av, ak), T(b));
    return where(cond, make_scalar(av, ak), make_scalar(bv, bk));
  });
}

// ---- reductions with indices: values and indices handles in scratch[0..1] ----
WT_EXPORT Handle wt_max_all(Handle a) { return tensor_result([&] { return max(T(a)); }); }
WT_EXPORT Handle wt_min_all(Handle a) { return tensor_result([&] { return min(T(a)); }); }
WT_EXPORT int32_t wt_max_dim(Handle a, int32_t dim, int32_t keepdim) {
  return status_result([&] {
    auto [values, indices] = max(T(a), dim, keepdim != 0);
    scratch_i32()[0] = int32_t(to_handle(values));
    scratch_i32()[1] = int32_t(to_handle(indices));
  });
}
WT_EXPORT int32_t wt_min_dim(Handle a, int32_t dim, int32_t keepdim) {
  return status_result([&] {
    auto [values, indices] = min(T(a), dim, keepdim != 0);
    scratch_i32()[0] = int32_t(to_handle(values));
    scratch_i32()[1] = int32_t(to_handle(indices));
  });
}
WT_EXPORT Handle wt_argmax(Handle a, int32_t has_dim, int32_t dim, int32_t keepdim) {
  return tensor_result([&] {
    return argmax(T(a), has_dim ? std::optional<int64_t>(dim) : std::nullopt, keepdim != 0);
  });
}
// ---- more views ----
WT_EXPORT Handle wt_squeeze(Handle a) { return tensor_result([&] { return squeeze(T(a)); }); }
WT_EXPORT Handle wt_squeeze_dim(Handle a, int32_t d) { return tensor_result([&] { return squeeze(T(a), d); }); }

// ---- joining: n handles in scratch ----
namespace {
std::vector<Tensor> scratch_list(int32_t n) {
  WT_CHECK(n >= 0 && n <= kScratchInts, "too many tensors in one call (", n, ")");
  std::vector<Tensor> out;
  for (int32_t i = 0; i < n; ++i) out.push_back(T(Handle(scratch_i32()[i])));
  return out;
}
}  // namespace
WT_EXPORT Handle wt_cat(int32_t n, int32_t dim) { return tensor_result([&] { return cat(scratch_list(n), dim); }); }
WT_EXPORT Handle wt_stack(int32_t n, int32_t dim) { return tensor_result([&] { return stack(scratch_list(n), dim); }); }

// ---- random ----
WT_EXPORT Handle wt_rand(int32_t dtype, int32_t ndim) {
  return tensor_result([&] { return rand(scratch_dims(ndim), scalar_type_from_index(dtype)); });
}
WT_EXPORT Handle wt_randn(int32_t dtype, int32_t ndim) {
  return tensor_result([&] { return randn(scratch_dims(ndim), scalar_type_from_index(dtype)); });
}
WT_EXPORT int32_t wt_manual_seed(double seed) { return status_result([&] { manual_seed(int64_t(seed)); }); }

// ---- issue 14: elementwise, reductions and sampling for transformers ----
WT_EXPORT Handle wt_gelu_tanh(Handle a) { return tensor_result([&] { return gelu(T(a), "tanh"); }); }
WT_EXPORT Handle wt_softplus(Handle a, double beta, double threshold) {
  return tensor_result([&] { return softplus(T(a), beta, threshold); });
}
namespace {
// ndims < 0: no dim (every dim); else the dims are in scratch.
std::optional<DimVector> optional_dims(int32_t ndims) {
  if (ndims < 0) return std::nullopt;
  return DimVector(scratch_dims(ndims));
}
}  // namespace
WT_EXPORT Handle wt_var(Handle a, int32_t ndims, double correction, int32_t keepdim) {
  return tensor_result([&] { return var(T(a), optional_dims(ndims), correction, keepdim != 0); });
}
WT_EXPORT Handle wt_std(Handle a, int32_t ndims, double correction, int32_t keepdim) {
  return tensor_result([&] { return std_dev(T(a), optional_dims(ndims), correction, keepdim != 0); });
}
WT_EXPORT Handle wt_norm(Handle a, double p, int32_t ndims, int32_t keepdim) {
  return tensor_result([&] { return norm(T(a), p, optional_dims(ndims), keepdim != 0); });
}
WT_EXPORT Handle wt_randint(double low, double high, int32_t dtype, int32_t ndim) {
  return tensor_result([&] { return randint(int64_t(low), int64_t(high), scratch_dims(ndim), scalar_type_from_index(dtype)); });
}
WT_EXPORT Handle wt_randperm(double n, int32_t dtype) {
  return tensor_result([&] { return randperm(int64_t(n), scalar_type_from_index(dtype)); });
}
WT_EXPORT Handle wt_multinomial(Handle a, double n, int32_t replacement) {
  return tensor_result([&] { return multinomial(T(a), int64_t(n), replacement != 0); });
}

// ---- indexing (issue 14) ----
WT_EXPORT Handle wt_index_select(Handle a, int32_t dim, Handle index) {
  return tensor_result([&] { return index_select(T(a), dim, T(index)); });
}
WT_EXPORT Handle wt_gather(Handle a, int32_t dim, Handle index) {
  return tensor_result([&] { return gather(T(a), dim, T(index)); });
}
// scatter / scatter_add: src a tensor, or (scatter) the number (v, kind).
WT_EXPORT Handle wt_scatter(Handle a, int32_t dim, Handle index, Handle src) {
  return tensor_result([&] { return scatter(T(a), dim, T(index), T(src)); });
}
WT_EXPORT Handle wt_scatter_scalar(Handle a, int32_t dim, Handle index, double v, int32_t kind) {
  return tensor_result([&] { return scatter(T(a), dim, T(index), make_scalar(v, kind)); });
}
WT_EXPORT int32_t wt_scatter_(Handle a, int32_t dim, Handle index, Handle src) {
  return status_result([&] { scatter_(T(a), dim, T(index), T(src)); });
}
WT_EXPORT int32_t wt_scatter_scalar_(Handle a, int32_t dim, Handle index, double v, int32_t kind) {
  return status_result([&] { scatter_(T(a), dim, T(index), make_scalar(v, kind)); });
}
WT_EXPORT Handle wt_scatter_add(Handle a, int32_t dim, Handle index, Handle src) {
  return tensor_result([&] { return scatter_add(T(a), dim, T(index), T(src)); });
}
WT_EXPORT int32_t wt_scatter_add_(Handle a, int32_t dim, Handle index, Handle src) {
  return status_result([&] { scatter_add_(T(a), dim, T(index), T(src)); });
}
// masked_fill: value handle 0 means the number (v, kind).
WT_EXPORT Handle wt_masked_fill(Handle a, Handle mask, Handle value, double v, int32_t kind) {
  return tensor_result([&] {
    return value ? masked_fill(T(a), T(mask), T(value)) : masked_fill(T(a), T(mask), make_scalar(v, kind));
  });
}
WT_EXPORT int32_t wt_masked_fill_(Handle a, Handle mask, Handle value, double v, int32_t kind) {
  return status_result([&] {
    if (value)
      masked_fill_(T(a), T(mask), T(value));
    else
      masked_fill_(T(a), T(mask), make_scalar(v, kind));
  });
}

namespace {
// t[...]'s n entries in scratch, 5 ints each (js/ops.mjs writes them): kind 0 a number
// (then its value), 1 a slice (flags: 1 start given, 2 stop given; start, stop, step),
// 2 a tensor (its handle).
std::vector<TensorIndex> scratch_indices(int32_t n) {
  const int32_t* s = scratch_i32();
  std::vector<TensorIndex> out(static_cast<size_t>(n));
  for (int32_t k = 0; k < n; ++k, s += 5) {
    TensorIndex& x = out[size_t(k)];
    if (s[0] == 0) {
      x.kind = TensorIndex::Kind::Integer;
      x.integer = s[1];
    } else if (s[0] == 1) {
      x.kind = TensorIndex::Kind::Slice;
      if (s[1] & 1) x.start = s[2];
      if (s[1] & 2) x.stop = s[3];
      x.step = s[4];
    } else {
      x.kind = TensorIndex::Kind::Tensor;
      x.tensor = T(Handle(s[1]));
    }
  }
  return out;
}
}  // namespace
WT_EXPORT Handle wt_index(Handle a, int32_t n) {
  return tensor_result([&] { return get_item(T(a), scratch_indices(n)); });
}
// value handle 0 means the number (v, kind).
WT_EXPORT int32_t wt_index_put_(Handle a, int32_t n, Handle value, double v, int32_t kind, int32_t accumulate) {
  return status_result([&] {
    const std::vector<TensorIndex> idx = scratch_indices(n);
    if (value)
      set_item(T(a), idx, T(value), accumulate != 0);
    else
      set_item(T(a), idx, make_scalar(v, kind), accumulate != 0);
  });
}
