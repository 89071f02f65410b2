#pragma once
// The shape every fused elementwise backward op shares (tanh_backward, sigmoid_backward,
// gelu_backward): its node saved grad_output and one forward tensor, and the op records that
// node around an unrecorded kernel (run_backward_kernel).

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

struct FusedBackwardNode : Node {
  void release_variables() override {
    grad_output_.reset_data();
    saved_.reset_data();
  }
  SavedVariable grad_output_, saved_;
};

template <class NodeT>
Tensor record_fused_backward(kernels::BinaryOp op, const Tensor& grad_output, const Tensor& saved) {
  auto node = autograd::make_node<NodeT>({&grad_output, &saved});
  if (node) {
    node->grad_output_ = SavedVariable(grad_output, false);
    node->saved_ = SavedVariable(saved, false);
  }
  Tensor out = run_backward_kernel(op, grad_output, saved);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
