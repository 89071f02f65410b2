#pragma once
// Shared machinery of the value-computing ops: type promotion, output allocation, the checks
// an in-place write makes. Nothing here records (autograd/recording.h does).

#include <memory>

#include "core/error.h"
#include "core/shape.h"
#include "kernels/binary.h"
#include "kernels/unary.h"
#include "ops/ops.h"

namespace webtorch {

// PyTorch's result_type for two operands: tensors with dims outrank 0-dim tensors, which
// outrank wrapped numbers; across ranks only a higher category (bool < int < float) wins.
ScalarType result_type(const Tensor& a, const Tensor& b);
ScalarType result_type(std::initializer_list<const Tensor*> operands);

// Runs an elementwise binary kernel into a fresh tensor of the broadcast shape.
// compute: the dtype both inputs are cast to; out_dtype: the result's dtype.
Tensor binary_out_of_place(kernels::BinaryOp op, const Tensor& a, const Tensor& b, Scalar alpha,
                           ScalarType compute, ScalarType out_dtype);

// The checks an in-place binary op makes before anything changes: other broadcasts to
// self's shape, the result dtype can be cast to self's, self has no internal overlap.
void check_inplace_binary(const Tensor& self, const Tensor& other, ScalarType result);

// "unsupported operation: more than one element of the written-to tensor refers to a
// single memory location..." for expanded destinations.
void check_no_internal_overlap(const Tensor& self);

// Note [Memory overlap]
// PyTorch's TensorIterator refuses to write into a tensor that partially overlaps an input
// (at::assert_no_partial_overlap): both dense and non-overlapping, in one storage, with
// intersecting but not identical extents (or identical extents with different strides).
// Identical layouts are fine (elementwise in place); layouts too hard to decide (expanded,
// gappy) are let through by PyTorch too, and webtorch's kernels read such a source from a
// copy (copy_) so the result is still well defined.
void check_no_partial_overlap(const Tensor& written, const Tensor& input);
bool is_non_overlapping_and_dense(const Tensor& t);
bool is_non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides);

// Runs an elementwise binary kernel writing into self (already checked).
void binary_into(kernels::BinaryOp op, const Tensor& self, const Tensor& other, Scalar alpha);

// Wraps a dim list: sorted flags per dim, PyTorch's errors for repeats and range.
void dims_to_mask(IntArrayRef dims, int64_t ndim, bool* mask);

// t itself when it already has dtype d, else a converted copy.
inline Tensor cast_to(const Tensor& t, ScalarType d) { return t.dtype() == d ? t : to_dtype(t, d); }

// The dtype of a floating op (exp, log, sqrt, tanh, sigmoid): integral inputs give float32.
inline ScalarType float_op_type(ScalarType t) { return is_floating(t) ? t : ScalarType::Float32; }

// Runs a unary kernel into a fresh tensor of dtype out (self cast to it first).
Tensor unary_out_of_place(kernels::UnaryOp op, const Tensor& self, ScalarType out, double p0 = 0,
                          double p1 = 0);

// A floating op given by its float lane (kernels::unary_lane): integral and bool inputs are
// read as float32, as float_op_type says.
Tensor unary_out_of_place(kernels::FloatLane fn, const Tensor& self);

// PyTorch's legacy type string of a CPU tensor, as its messages print it: torch.FloatTensor,
// torch.IntTensor, and CPUBoolType (there is no legacy bool tensor type).
inline const char* legacy_type_name(ScalarType t) {
  return t == ScalarType::Int32 ? "torch.IntTensor" : t == ScalarType::Bool ? "CPUBoolType" : "torch.FloatTensor";
}

// "\"<kernel>\" not implemented for '<Type>'", PyTorch's AT_DISPATCH error.
void check_dispatch(bool ok, const char* kernel, ScalarType t);

}  // namespace webtorch
