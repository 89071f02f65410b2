#pragma once
// Elementwise binary kernels: out = op(a, b), with a and b broadcast to out's shape.
// a, b and out share one dtype (the op layer casts first), except comparisons, whose out
// is bool.

#include "core/scalar.h"
#include "core/tensor.h"

namespace webtorch {
namespace kernels {

enum class BinaryOp {
  Add,  // a + alpha * b
  Sub,  // a - alpha * b
  Mul,
  Div,
  Pow,
  Maximum,
  Minimum,
  Eq,
  Lt,
  Gt,
  Le,
  Ge,
};

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, Scalar alpha = 1);

}  // namespace kernels
}  // namespace webtorch
