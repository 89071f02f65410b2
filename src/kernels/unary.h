#pragma once
// Elementwise unary kernels: out = op(in), same shape; out and in share one dtype.

#include "core/tensor.h"

namespace webtorch {
namespace kernels {

enum class UnaryOp {
  Neg,
  Relu,
  Abs,
  Exp,
  Log,
  Sqrt,
  Tanh,
  Sigmoid,
  Gelu,       // exact (erf) form, PyTorch's default
  Clamp,      // p0 = min, p1 = max; a missing bound is -inf / +inf
  LogicalNot,
};

void unary(UnaryOp op, const Tensor& out, const Tensor& in, double p0 = 0, double p1 = 0);

// A float32 function with no SIMD form, given by its lane (log1p, ...): out = fn(in), both
// float32. A new floating unary op needs no enum entry here, only its lane function.
using FloatLane = float (*)(float);
void unary_lane(const Tensor& out, const Tensor& in, FloatLane fn);

}  // namespace kernels
}  // namespace webtorch
