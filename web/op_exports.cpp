// The operators, one entry point per op and operand form: wt_<op> takes tensor operands,
// wt_<op>_scalar a JavaScript number (value, kind). In-place forms return a status.

#include "export.h"
#include "ops/ops.h"

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

// ---- linear algebra ----
WT_EXPORT Handle wt_matmul(Handle a, Handle b) { return tensor_result([&] { return matmul(T(a), T(b)); }); }

// ---- views (sizes in scratch) ----
WT_EXPORT Handle wt_view(Handle a, int32_t ndim) { return tensor_result([&] { return view(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_reshape(Handle a, int32_t ndim) { return tensor_result([&] { return reshape(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_expand(Handle a, int32_t ndim) { return tensor_result([&] { return expand(T(a), scratch_dims(ndim)); }); }
WT_EXPORT Handle wt_transpose(Handle a, int32_t d0, int32_t d1) { return tensor_result([&] { return transpose(T(a), d0, d1); }); }
WT_EXPORT Handle wt_unsqueeze(Handle a, int32_t d) { return tensor_result([&] { return unsqueeze(T(a), d); }); }
WT_EXPORT Handle wt_squeeze_dim(Handle a, int32_t d) { return tensor_result([&] { return squeeze(T(a), d); }); }
WT_EXPORT Handle wt_contiguous(Handle a) { return tensor_result([&] { return contiguous(T(a)); }); }

// ---- in-place fills and copies ----
WT_EXPORT int32_t wt_zero_(Handle a) { return status_result([&] { zero_(T(a)); }); }
WT_EXPORT int32_t wt_fill_(Handle a, double v, int32_t kind) { return status_result([&] { fill_(T(a), make_scalar(v, kind)); }); }
WT_EXPORT int32_t wt_copy_(Handle a, Handle src) { return status_result([&] { copy_(T(a), T(src)); }); }

// ---- identity-like ----
WT_EXPORT Handle wt_clone(Handle a) { return tensor_result([&] { return clone(T(a)); }); }
WT_EXPORT Handle wt_detach(Handle a) { return tensor_result([&] { return detach(T(a)); }); }
