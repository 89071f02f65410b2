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
  Pow,        // tensor ** tensor: std::pow
  PowScalar,  // tensor ** Python number: PyTorch's special cases (Note [pow with a number exponent])
  Maximum,
  Minimum,
  Eq,
  Lt,
  Gt,
  Le,
  Ge,
  // Backward formulas fused into one pass (float32 only): a is the incoming gradient.
  TanhBackward,     // a * (1 - b * b), b = tanh(x)
  SigmoidBackward,  // a * (1 - b) * b, b = sigmoid(x)
  GeluBackward,     // a * (cdf(b) + b * pdf(b)), b = x
};

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, Scalar alpha = 1);

// out = cond ? a : b, all broadcast to out's shape; cond is bool, a, b and out share a dtype.
void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);

}  // namespace kernels
}  // namespace webtorch
