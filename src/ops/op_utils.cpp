#include "ops/op_utils.h"

#include <algorithm>

#include "kernels/copy.h"
#include "kernels/reduce.h"
#include "ops/elementwise_layout.h"

namespace webtorch {

ScalarType result_type(const Tensor& a, const Tensor& b) { return result_type({&a, &b}); }

ScalarType result_type(std::initializer_list<const Tensor*> operands) {
  // Three priority classes; inside one, plain promotion; across, only a higher category.
  struct State {
    bool any = false;
    ScalarType t = ScalarType::Bool;
    void update(ScalarType x) {
      t = any ? promote_types(t, x) : x;
      any = true;
    }
  } dim_result, zero_result, wrapped_result;
  for (const Tensor* x : operands) {
    if (x->impl()->is_wrapped_number()) wrapped_result.update(x->dtype());
    else if (x->dim() == 0) zero_result.update(x->dtype());
    else dim_result.update(x->dtype());
  }
  auto combine = [](const State& higher, const State& lower) {
    State r = higher;
    if (!lower.any) return r;
    if (!higher.any) return lower;
    if (category_rank(lower.t) > category_rank(higher.t)) r.t = lower.t;
    return r;
  };
  return combine(dim_result, combine(zero_result, wrapped_result)).t;
}

Tensor binary_out_of_place(kernels::BinaryOp op, const Tensor& a, const Tensor& b, Scalar alpha,
                           ScalarType compute, ScalarType out_dtype) {
  const DimVector shape = shape::broadcast_shapes(a.sizes(), b.sizes());
  const Tensor ac = a.dtype() == compute ? a : to_dtype(a, compute);
  const Tensor bc = b.dtype() == compute ? b : to_dtype(b, compute);
  Tensor out = empty_elementwise(shape, out_dtype, {&a, &b}, compute);
  kernels::binary(op, out, ac, bc, alpha);
  return out;
}

void check_no_internal_overlap(const Tensor& self) {
  for (int64_t d = 0; d < self.dim(); ++d)
    WT_CHECK(!(self.stride(d) == 0 && self.size(d) > 1),
             "unsupported operation: more than one element of the written-to tensor refers to a "
             "single memory location. Please clone() the tensor before performing the operation.");
}

bool is_non_overlapping_and_dense(const Tensor& t) {
  return is_non_overlapping_and_dense(t.sizes(), t.strides());
}

bool is_non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides) {
  const int64_t n = int64_t(sizes.size());
  if (n == 1) return sizes[0] < 2 || strides[0] == 1;
  // Dims by increasing stride, size-0/1 dims last (c10's compute_non_overlapping_and_dense).
  int64_t perm[kMaxDims];
  for (int64_t i = 0; i < n; ++i) perm[i] = i;
  std::stable_sort(perm, perm + n, [&](int64_t a, int64_t b) {
    if (sizes[size_t(a)] < 2) return false;
    if (sizes[size_t(b)] < 2) return true;
    return strides[size_t(a)] < strides[size_t(b)];
  });
  int64_t require = 1;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t size = sizes[size_t(perm[i])];
    if (size < 2) return true;
    if (strides[size_t(perm[i])] != require) return false;
    require *= size;
  }
  return true;
}

void check_no_partial_overlap(const Tensor& written, const Tensor& input) {
  if (written.is_same(input) || written.numel() == 0 || input.numel() == 0) return;
  if (written.impl()->storage() != input.impl()->storage()) return;
  if (!is_non_overlapping_and_dense(written) || !is_non_overlapping_and_dense(input)) return;
  const char* a_begin = written.impl()->data();
  const char* a_end = a_begin + written.impl()->nbytes();
  const char* b_begin = input.impl()->data();
  const char* b_end = b_begin + input.impl()->nbytes();
  const bool partial = (a_begin == b_begin && a_end == b_end)
                           ? !written.strides().equals(input.strides())
                           : (a_begin < b_end && b_begin < a_end);
  WT_CHECK(!partial,
           "unsupported operation: some elements of the input tensor and the written-to tensor "
           "refer to a single memory location. Please clone() the tensor before performing the "
           "operation.");
}

void check_inplace_binary(const Tensor& self, const Tensor& other, ScalarType result) {
  // TensorIterator's order: memory overlap, then shapes, then dtypes.
  check_no_internal_overlap(self);
  check_no_partial_overlap(self, other);
  const DimVector shape = shape::broadcast_shapes(self.sizes(), other.sizes());
  WT_CHECK(shape.size() == size_t(self.dim()) && IntArrayRef(shape).equals(self.sizes()),
           "output with shape ", self.sizes(), " doesn't match the broadcast shape ",
           IntArrayRef(shape));
  // A Python int is an int64 wrapped number in torch: bool.add_(1) reports Long, not Int.
  const bool python_int = result == ScalarType::Int32 && other.impl()->is_wrapped_number();
  WT_CHECK(can_cast(result, self.dtype()), "result type ", python_int ? "Long" : torch_name(result),
           " can't be cast to the desired output type ", torch_name(self.dtype()));
}

void binary_into(kernels::BinaryOp op, const Tensor& self, const Tensor& other, Scalar alpha) {
  const ScalarType compute = result_type(self, other);
  if (compute == self.dtype()) {
    const Tensor oc = other.dtype() == compute ? other : to_dtype(other, compute);
    kernels::binary(op, self, self, oc, alpha);
    return;
  }
  Tensor tmp = binary_out_of_place(op, self, other, alpha, compute, compute);
  kernels::copy(self, tmp);
}

void dims_to_mask(IntArrayRef dims, int64_t ndim, bool* mask) {
  for (int64_t d = 0; d < kMaxDims; ++d) mask[d] = false;
  for (int64_t d : dims) {
    const int64_t w = shape::wrap_dim(d, ndim);
    WT_CHECK(!mask[w], "dim ", w, " appears multiple times in the list of dims");
    mask[w] = true;
  }
}

Tensor unary_out_of_place(kernels::UnaryOp op, const Tensor& self, ScalarType out, double p0,
                          double p1) {
  const Tensor in = cast_to(self, out);
  Tensor result = empty_elementwise(self.sizes(), out, {&self});
  kernels::unary(op, result, in, p0, p1);
  return result;
}

Tensor unary_out_of_place(kernels::FloatLane fn, const Tensor& self) {
  const Tensor in = cast_to(self, ScalarType::Float32);
  Tensor result = empty_elementwise(self.sizes(), ScalarType::Float32, {&self});
  kernels::unary_lane(result, in, fn);
  return result;
}

void check_dispatch(bool ok, const char* kernel, ScalarType t) {
  WT_CHECK(ok, "\"", kernel, "\" not implemented for '", torch_name(t), "'");
}

// ---- helpers for backward formulas ----

bool is_expandable_to(IntArrayRef shape, IntArrayRef desired) {
  if (shape.size() > desired.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    const int64_t s = shape[shape.size() - 1 - i];
    const int64_t t = desired[desired.size() - 1 - i];
    if (s != t && s != 1) return false;
  }
  return true;
}

Tensor to_dtype(const Tensor& t, ScalarType dtype) {
  Tensor out = empty(t.sizes(), dtype);
  kernels::copy(out, t);
  return out;
}

Tensor contiguous_clone(const Tensor& t) {
  Tensor out = empty(t.sizes(), t.dtype());
  kernels::copy(out, t);
  return out;
}

}  // namespace webtorch
