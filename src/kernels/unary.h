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

}  // namespace kernels
}  // namespace webtorch
