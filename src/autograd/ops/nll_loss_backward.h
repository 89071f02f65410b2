#pragma once
// nll_loss's differentiable backward (torch 1.13's nll_loss_backward / nll_loss2d_backward and
// their nodes NllLossBackwardBackward0 / NllLoss2DBackwardBackward0), nll_loss_backward.cpp.

#include "autograd/edge.h"
#include "core/tensor.h"
#include "ops/ops.h"

namespace webtorch {

// What the forward fixed: target and weight (contiguous copies), self's shape, the options
// and the total weight of a mean. is_2d picks nll_loss2d for the double backward.
struct NllLossArgs {
  Tensor target, weight;
  DimVector self_sizes;
  Reduction reduction = Reduction::Mean;
  int64_t ignore_index = -100;
  double total_weight = 0;
  bool is_2d = false;
};

// The gradient of nll_loss's self at grad_output. self_edge is the forward's edge to self: the
// recorded node keeps it (its gradient is zeros, as torch's), so self need not be saved.
Tensor nll_loss_backward(const Tensor& grad_output, const Edge& self_edge, const NllLossArgs& args);

}  // namespace webtorch
