// Creation, metadata, data access and lifetime of tensors, for js/tensor.mjs.

#include "autograd/variable.h"
#include "core/error.h"
#include "core/shape.h"
#include "export.h"
#include "kernels/copy.h"
#include "autograd/ops/ops.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {
ScalarType dtype_of(int32_t d) { return scalar_type_from_index(d); }
Tensor T(Handle h) { return from_handle(h); }
}  // namespace

// ---- lifetime ----
WT_EXPORT void wt_release(Handle h) { IntrusivePtr<TensorImpl>::adopt(reinterpret_cast<TensorImpl*>(uintptr_t(h))); }
// A second handle to the same tensor (a new reference).
WT_EXPORT Handle wt_retain(Handle h) { return to_handle(T(h)); }

// ---- creation (shape in scratch) ----
WT_EXPORT Handle wt_empty(int32_t dtype, int32_t ndim) {
  return tensor_result([&] { return empty(scratch_dims(ndim), dtype_of(dtype)); });
}
WT_EXPORT Handle wt_full(int32_t dtype, int32_t ndim, double value, int32_t kind) {
  return tensor_result([&] { return full(scratch_dims(ndim), make_scalar(value, kind), dtype_of(dtype)); });
}
WT_EXPORT Handle wt_arange(double start, double end, double step, int32_t dtype) {
  return tensor_result([&] { return arange(start, end, step, dtype_of(dtype)); });
}
WT_EXPORT Handle wt_eye(int32_t n, int32_t m, int32_t dtype) {
  return tensor_result([&] { return eye(n, m, dtype_of(dtype)); });
}
WT_EXPORT int32_t wt_requires_grad_at_creation(Handle h, int32_t flag) {
  return status_result([&] { autograd::requires_grad_at_creation(T(h), flag != 0); });
}

// ---- metadata ----
WT_EXPORT int32_t wt_dim(Handle h) { return int32_t(T(h).dim()); }
// Writes the sizes into scratch; returns ndim.
WT_EXPORT int32_t wt_shape(Handle h) {
  Tensor t = T(h);
  for (int64_t d = 0; d < t.dim(); ++d) scratch_i32()[d] = int32_t(t.size(d));
  return int32_t(t.dim());
}
WT_EXPORT int32_t wt_dtype(Handle h) { return int32_t(T(h).dtype()); }
WT_EXPORT double wt_numel(Handle h) { return double(T(h).numel()); }
WT_EXPORT int32_t wt_is_contiguous(Handle h) { return T(h).is_contiguous(); }
WT_EXPORT int32_t wt_is_inference(Handle h) { return T(h).is_inference(); }
// The version counter; -1 (with last_error) for inference tensors.
WT_EXPORT int32_t wt_version(Handle h) { return int_result([&] { return T(h).version(); }); }
// Address of the first element (meaningful as a flat array only when contiguous).
WT_EXPORT uint32_t wt_data_ptr(Handle h) { return uint32_t(reinterpret_cast<uintptr_t>(T(h).impl()->data())); }
// A contiguous copy, outside autograd (for reading strided data).
WT_EXPORT Handle wt_contiguous_copy(Handle h) { return tensor_result([&] { return contiguous_clone(T(h)); }); }
// 1 if a and b share storage (tests, tidy bookkeeping).
WT_EXPORT int32_t wt_same_storage(Handle a, Handle b) {
  return T(a).impl()->storage() == T(b).impl()->storage();
}
// Reads one element as a double (item()); status -1 on error, value in scratch_f64[0].
WT_EXPORT int32_t wt_item(Handle h) {
  return status_result([&] { scratch_f64()[0] = item(T(h)); });
}
