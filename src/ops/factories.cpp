// Tensor factories. New tensors are inference tensors inside InferenceMode (core empty()).

#include <cmath>
#include <type_traits>

#include "core/convert.h"
#include "kernels/copy.h"
#include "ops/op_utils.h"

namespace webtorch {

Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype) {
  Tensor t = empty(sizes, dtype);
  if (IntArrayRef(t.strides()).equals(strides)) return t;
  t.impl()->set_sizes_and_strides(sizes, strides);
  return t;
}

// c10's checked_convert, as fill_ runs it: torch 1.13 fills a bool tensor with any value
// (nonzero is True, NaN included) and refuses only what overflows int32 or float32
// (Note [Defined conversions]).
void check_fill_value(Scalar value, ScalarType dtype) {
  WT_CHECK(!overflows(value.to_double(), dtype), "value cannot be converted to type ",
           dtype == ScalarType::Int32 ? "int" : "float", " without overflow");
}

Tensor full(IntArrayRef sizes, Scalar value, ScalarType dtype) {
  check_fill_value(value, dtype);
  Tensor t = empty(sizes, dtype);
  kernels::fill(t, value);
  return t;
}

Tensor zeros(IntArrayRef sizes, ScalarType dtype) { return full(sizes, 0.0, dtype); }
Tensor ones(IntArrayRef sizes, ScalarType dtype) { return full(sizes, 1.0, dtype); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype()); }

Tensor arange(double start, double end, double step, ScalarType dtype) {
  check_dispatch(dtype != ScalarType::Bool, "arange_cpu", dtype);
  // PyTorch computes in the dtype's accumulate type: for an integral dtype start, end and
  // step are truncated first (arange(0, 1, 0.3) has step 0), but the length comes from the
  // given values.
  const bool integral = is_integral(dtype, false);
  const double xstart = integral ? std::trunc(start) : start;
  const double xend = integral && std::isfinite(end) ? std::trunc(end) : end;
  const double xstep = integral ? std::trunc(step) : step;
  WT_CHECK(xstep != 0, "step must be nonzero");
  WT_CHECK(std::isfinite(xstart) && std::isfinite(xend),
           "unsupported range: ", xstart, " -> ", xend);
  WT_CHECK((xstep > 0 && xend >= xstart) || (xstep < 0 && xend <= xstart),
           "upper bound and larger bound inconsistent with step sign");
  const int64_t n = int64_t(std::ceil((end - start) / step));
  Tensor t = empty({n}, dtype);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < n; ++i) p[i] = T(xstart + double(i) * xstep);
  });
  return t;
}

Tensor eye(int64_t n, int64_t m, ScalarType dtype) {
  WT_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  WT_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  Tensor t = zeros({n, m}, dtype);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < std::min(n, m); ++i) p[i * m + i] = T(1);
  });
  return t;
}

Tensor from_values(const double* values, IntArrayRef sizes, ScalarType dtype) {
  Tensor t = empty(sizes, dtype);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = std::is_same<T, bool>::value ? T(values[i] != 0) : T(values[i]);
  });
  return t;
}

Tensor scalar_to_tensor(Scalar s) {
  Tensor t = empty({}, s.dtype());
  kernels::fill(t, s);
  t.impl()->set_wrapped_number(true);
  return t;
}

double item(const Tensor& t) {
  WT_CHECK(t.numel() == 1, "a Tensor with ", t.numel(), " elements cannot be converted to Scalar");
  return dispatch_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return double(*t.data<T>());
  });
}

}  // namespace webtorch
