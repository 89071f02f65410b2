#include "ops/op_utils.h"

#include "kernels/copy.h"
#include "kernels/reduce.h"

namespace webtorch {

ScalarType result_type(const Tensor& a, const Tensor& b) {
  // Three priority classes; inside one, plain promotion; across, only a higher category.
  struct State {
    bool any = false;
    ScalarType t = ScalarType::Bool;
    void update(ScalarType x) {
      t = any ? promote_types(t, x) : x;
      any = true;
    }
  } dim_result, zero_result, wrapped_result;
  for (const Tensor* x : {&a, &b}) {
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
  Tensor out = empty(shape, out_dtype);
  kernels::binary(op, out, ac, bc, alpha);
  return out;
}

void check_no_internal_overlap(const Tensor& self) {
  for (int64_t d = 0; d < self.dim(); ++d)
    WT_CHECK(!(self.stride(d) == 0 && self.size(d) > 1),
             "unsupported operation: more than one element of the written-to tensor refers to a "
             "single memory location. Please clone() the tensor before performing the operation.");
}

void check_inplace_binary(const Tensor& self, const Tensor& other, ScalarType result) {
  const DimVector shape = shape::broadcast_shapes(self.sizes(), other.sizes());
  WT_CHECK(shape.size() == size_t(self.dim()) && IntArrayRef(shape).equals(self.sizes()),
           "output with shape ", self.sizes(), " doesn't match the broadcast shape ",
           IntArrayRef(shape));
  WT_CHECK(can_cast(result, self.dtype()), "result type ", torch_name(result),
           " can't be cast to the desired output type ", torch_name(self.dtype()));
  check_no_internal_overlap(self);
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

Tensor sum_to(const Tensor& grad, IntArrayRef shape) {
  if (grad.sizes().equals(shape)) return grad;
  const int64_t lead = grad.dim() - int64_t(shape.size());
  bool mask[kMaxDims] = {false};
  DimVector keep_shape(grad.sizes());
  for (int64_t d = 0; d < grad.dim(); ++d) {
    const bool reduce = d < lead || (shape[size_t(d - lead)] == 1 && grad.size(d) != 1);
    mask[d] = reduce;
    if (reduce) keep_shape[size_t(d)] = 1;
  }
  Tensor out = empty(keep_shape, grad.dtype());
  kernels::sum(out, grad, mask);
  return alias_with_geometry(out, shape, shape::contiguous_strides(shape), 0);
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
