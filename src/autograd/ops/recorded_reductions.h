#pragma once
// Recorded versions of the reshaping helpers backward formulas use (recorded_reductions.cpp).

#include "core/tensor.h"

namespace webtorch {

// True when a backward formula's result must be recorded: create_graph and a gradient (or
// saved tensor) with history.
bool records_gradient(const Tensor& grad);
Tensor sum_to_recorded(const Tensor& grad, IntArrayRef shape);
Tensor unsqueeze_reduced_recorded(const Tensor& grad, const bool* mask, size_t ndim);
// unsqueeze_reduced (ops/reduction_utils.h) for a backward formula: recorded when it must be.
Tensor unsqueeze_reduced_grad(const Tensor& grad, const bool* mask, size_t ndim, bool keepdim);

}  // namespace webtorch
