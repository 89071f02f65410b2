// The operators, one entry point per op and operand form: wt_<op> takes tensor operands,
// wt_<op>_scalar a JavaScript number (value, kind). In-place forms return a status.

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

// ---- arithmetic: out = op(a, b) (alpha for add/sub) ----
#define WT_BINARY_EXPORTS(op)                                                                     \
  WT_EXPORT Handle wt_##op(Handle a, Handle b, double alpha, int32_t alpha_kind) {              \
    return tensor_result([&] { return op(T(a), T(b), make_scalar(alpha, alpha_kind)); });       \
  }                                                                                               \
  WT_EXPORT Handle wt_##op##_scalar(Handle a, double v, int32_t kind, double alpha, int32_t alpha_kind) { \
    return tensor_result([&] { return op(T(a), make_scalar(v, kind), make_scalar(alpha, alpha_kind)); }); \
  }                                                                                               \
  WT_EXPORT int32_t wt_##op##_(Handle a, Handle b, double alpha, int32_t alpha_kind) {          \
    return status_result([&] { op##_(T(a), T(b), make_scalar(alpha, alpha_kind)); });           \
  }                                                                                               \
  WT_EXPORT int32_t wt_##op##_scalar_(Handle a, double v, int32_t kind, double alpha, int32_t alpha_kind) { \
    return status_result([&] { op##_(T(a), make_scalar(v, kind), make_scalar(alpha, alpha_kind)); }); \
  }
WT_BINARY_EXPORTS(add)
WT_BINARY_EXPORTS(sub)
#undef WT_BINARY_EXPORTS

#define WT_BINARY_NOALPHA_EXPORTS(op)                                                          \
  WT_EXPORT Handle wt_##op(Handle a, Handle b) { return tensor_result([&] { return op(T(a), T(b)); }); } \
  WT_EXPORT Handle wt_##op##_scalar(Handle a, double v, int32_t kind) {                       \
    return tensor_result([&] { return op(T(a), make_scalar(v, kind)); });                     \
  }                                                                                             \
  WT_EXPORT int32_t wt_##op##_(Handle a, Handle b) { return status_result([&] { op##_(T(a), T(b)); }); } \
  WT_EXPORT int32_t wt_##op##_scalar_(Handle a, double v, int32_t kind) {                     \
    return status_result([&] { op##_(T(a), make_scalar(v, kind)); });                         \
  }
WT_BINARY_NOALPHA_EXPORTS(mul)
WT_BINARY_NOALPHA_EXPORTS(div)
#undef WT_BINARY_NOALPHA_EXPORTS

// torch.sub(2, t): a number first is a wrapped number (the same type promotion as t.sub(2)).
#define WT_SCALAR_FIRST_EXPORT(op)                                                             \
  WT_EXPORT Handle wt_##op##_scalar_first(double v, int32_t kind, Handle b) {                 \
    return tensor_result([&] { return op(scalar_to_tensor(make_scalar(v, kind)), T(b)); });   \
  }
WT_SCALAR_FIRST_EXPORT(add)
WT_SCALAR_FIRST_EXPORT(sub)
WT_SCALAR_FIRST_EXPORT(mul)
WT_SCALAR_FIRST_EXPORT(div)
#undef WT_SCALAR_FIRST_EXPORT

// ---- unary ----
WT_EXPORT Handle wt_neg(Handle a) { return tensor_result([&] { return neg(T(a)); }); }
WT_EXPORT Handle wt_relu(Handle a) { return tensor_result([&] { return relu(T(a)); }); }
WT_EXPORT int32_t wt_relu_(Handle a) { return status_result([&] { relu_(T(a)); }); }
WT_EXPORT Handle wt_exp(Handle a) { return tensor_result([&] { return exp(T(a)); }); }

// ---- reductions (dims in scratch) ----
WT_EXPORT Handle wt_sum(Handle a) { return tensor_result([&] { return sum(T(a)); }); }
WT_EXPORT Handle wt_sum_dims(Handle a, int32_t ndims, int32_t keepdim) {
  return tensor_result([&] { return sum(T(a), scratch_dims(ndims), keepdim != 0); });
}
WT_EXPORT Handle wt_mean(Handle a) { return tensor_result([&] { return mean(T(a)); }); }
WT_EXPORT Handle wt_mean_dims(Handle a, int32_t ndims, int32_t keepdim) {
  return tensor_result([&] { return mean(T(a), scratch_dims(ndims), keepdim != 0); });
}

WT_EXPORT Handle wt_maximum(Handle a, Handle b) { return tensor_result([&] { return maximum(T(a), T(b)); }); }
WT_EXPORT Handle wt_minimum(Handle a, Handle b) { return tensor_result([&] { return minimum(T(a), T(b)); }); }

// ---- linear algebra ----
WT_EXPORT Handle wt_matmul(Handle a, Handle b) { return tensor_result([&] { return matmul(T(a), T(b)); }); }

// ---- views (sizes in scratch) ----
WT_EXPORT Handle wt_view(Handle a, int32_t ndim) { return tensor_result([&] { return view(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_reshape(Handle a, int32_t ndim) { return tensor_result([&] { return reshape(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_expand(Handle a, int32_t ndim) { return tensor_result([&] { return expand(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_transpose(Handle a, int32_t d0, int32_t d1) { return tensor_result([&] { return transpose(T(a), d0, d1); }); }
WT_EXPORT Handle wt_t(Handle a) { return tensor_result([&] { return t(T(a)); }); }
WT_EXPORT Handle wt_unsqueeze(Handle a, int32_t d) { return tensor_result([&] { return unsqueeze(T(a), d); }); }
WT_EXPORT Handle wt_squeeze_dim(Handle a, int32_t d) { return tensor_result([&] { return squeeze(T(a), d); }); }
WT_EXPORT Handle wt_contiguous(Handle a) { return tensor_result([&] { return contiguous(T(a)); }); }

// ---- in-place fills and copies ----
WT_EXPORT int32_t wt_zero_(Handle a) { return status_result([&] { zero_(T(a)); }); }
WT_EXPORT int32_t wt_fill_(Handle a, double v, int32_t kind) { return status_result([&] { fill_(T(a), make_scalar(v, kind)); }); }
WT_EXPORT int32_t wt_fill_tensor_(Handle a, Handle v) { return status_result([&] { fill_(T(a), T(v)); }); }
WT_EXPORT int32_t wt_copy_(Handle a, Handle src) { return status_result([&] { copy_(T(a), T(src)); }); }

// ---- dtype conversion ----
WT_EXPORT Handle wt_to(Handle a, int32_t dtype) {
  return tensor_result([&] {
    WT_CHECK(dtype >= 0 && dtype < kNumScalarTypes, "unknown dtype index ", dtype);
    return to(T(a), ScalarType(dtype));
  });
}

// ---- identity-like ----
WT_EXPORT Handle wt_clone(Handle a) { return tensor_result([&] { return clone(T(a)); }); }
WT_EXPORT Handle wt_detach(Handle a) { return tensor_result([&] { return detach(T(a)); }); }

// ---- the rest of API.md's operators (issue 4) ----

WT_EXPORT Handle wt_pow(Handle a, Handle b) { return tensor_result([&] { return pow(T(a), T(b)); }); }
WT_EXPORT Handle wt_pow_scalar(Handle a, double v, int32_t kind) {
  return tensor_result([&] { return pow(T(a), make_scalar(v, kind)); });
}
WT_EXPORT Handle wt_pow_scalar_base(double v, int32_t kind, Handle b) {
  return tensor_result([&] { return pow(make_scalar(v, kind), T(b)); });
}

WT_EXPORT Handle wt_abs(Handle a) { return tensor_result([&] { return abs(T(a)); }); }
WT_EXPORT Handle wt_log(Handle a) { return tensor_result([&] { return log(T(a)); }); }
WT_EXPORT Handle wt_sqrt(Handle a) { return tensor_result([&] { return sqrt(T(a)); }); }
WT_EXPORT Handle wt_tanh(Handle a) { return tensor_result([&] { return tanh(T(a)); }); }
WT_EXPORT Handle wt_sigmoid(Handle a) { return tensor_result([&] { return sigmoid(T(a)); }); }
WT_EXPORT Handle wt_gelu(Handle a) { return tensor_result([&] { return gelu(T(a)); }); }

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

#define WT_COMPARE_EXPORTS(op)                                                                     \
  WT_EXPORT Handle wt_##op(Handle a, Handle b) { return tensor_result([&] { return op(T(a), T(b)); }); } \
  WT_EXPORT Handle wt_##op##_scalar(Handle a, double v, int32_t kind) {                          \
    return tensor_result([&] { return op(T(a), make_scalar(v, kind)); });                        \
  }
WT_COMPARE_EXPORTS(eq)
WT_COMPARE_EXPORTS(lt)
WT_COMPARE_EXPORTS(gt)
WT_COMPARE_EXPORTS(le)
WT_COMPARE_EXPORTS(ge)
#undef WT_COMPARE_EXPORTS

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
WT_EXPORT Handle wt_softmax(Handle a, int32_t dim) { return tensor_result([&] { return softmax(T(a), dim); }); }
WT_EXPORT Handle wt_log_softmax(Handle a, int32_t dim) { return tensor_result([&] { return log_softmax(T(a), dim); }); }

// ---- more linear algebra ----
WT_EXPORT Handle wt_mm(Handle a, Handle b) { return tensor_result([&] { return mm(T(a), T(b)); }); }
WT_EXPORT Handle wt_bmm(Handle a, Handle b) { return tensor_result([&] { return bmm(T(a), T(b)); }); }
WT_EXPORT Handle wt_mv(Handle a, Handle b) { return tensor_result([&] { return mv(T(a), T(b)); }); }
WT_EXPORT Handle wt_dot(Handle a, Handle b) { return tensor_result([&] { return dot(T(a), T(b)); }); }

// ---- more views ----
WT_EXPORT Handle wt_permute(Handle a, int32_t ndims) { return tensor_result([&] { return permute(T(a), scratch_dims(ndims)); }); }
WT_EXPORT Handle wt_squeeze(Handle a) { return tensor_result([&] { return squeeze(T(a)); }); }
WT_EXPORT Handle wt_narrow(Handle a, int32_t dim, double start, double length) {
  return tensor_result([&] { return narrow(T(a), dim, int64_t(start), int64_t(length)); });
}
WT_EXPORT Handle wt_select(Handle a, int32_t dim, double index) {
  return tensor_result([&] { return select(T(a), dim, int64_t(index)); });
}
WT_EXPORT Handle wt_flatten(Handle a, int32_t start, int32_t end) { return tensor_result([&] { return flatten(T(a), start, end); }); }

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
  return tensor_result([&] { return rand(scratch_dims(ndim), ScalarType(dtype)); });
}
WT_EXPORT Handle wt_randn(int32_t dtype, int32_t ndim) {
  return tensor_result([&] { return randn(scratch_dims(ndim), ScalarType(dtype)); });
}
WT_EXPORT int32_t wt_manual_seed(double seed) { return status_result([&] { manual_seed(int64_t(seed)); }); }
