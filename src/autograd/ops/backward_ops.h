#pragma once
// Ops that backward formulas call. First, the differentiable backward ops of fused kernels (torch's tanh_backward,
// sigmoid_backward, gelu_backward, threshold_backward, _softmax_backward_data,
// _log_softmax_backward_data). Each lives in its own file with its own node, named as torch
// 1.13 names it (TanhBackwardBackward0, ...): first-order backward formulas call them with
// grad mode off and nothing is recorded; under create_graph (Note [Grad mode of a backward
// pass]) they record, so gradients of gradients reach every order.

#include "core/tensor.h"
#include "kernels/binary.h"
#include "autograd/ops/nn_ops.h"

namespace webtorch {

Tensor tanh_backward(const Tensor& grad_output, const Tensor& output);
Tensor sigmoid_backward(const Tensor& grad_output, const Tensor& output);
Tensor gelu_backward(const Tensor& grad_output, const Tensor& self);
// where(self <= threshold, 0, grad_output): relu's backward from its result.
Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, double threshold);
// log: _log_softmax_backward_data, else _softmax_backward_data; output is the forward result.
Tensor softmax_backward_data(const Tensor& grad_output, const Tensor& output, int64_t dim, bool log);

// mse_loss's backward (MseLossBackwardBackward0); for the target, called with self and target swapped.
Tensor mse_loss_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target, Reduction reduction);

// The gradients of views: grad placed into zeros of the input's shape (SliceBackwardBackward0,
// SelectBackwardBackward0 differentiate them back into slices / selects).
Tensor slice_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t start, int64_t end,
                      int64_t step = 1);
Tensor select_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t index);

// sgn(x) (0 at 0 and NaN), with SgnBackward0 (a zero gradient): abs's backward.
Tensor sgn(const Tensor& self);
// self / other recorded as torch's div.Scalar (DivBackward1): mean's backward, cross_entropy.
Tensor div_by_number(const Tensor& self, double other);

// A fused elementwise backward kernel (grad_output, saved) into a fresh tensor of their
// broadcast shape, grad_output cast to saved's dtype; records nothing.
Tensor run_backward_kernel(kernels::BinaryOp op, const Tensor& grad_output, const Tensor& saved);
// zeros(full_sizes) with grad copied into its window (sizes, strides, offset); records nothing.
Tensor embed_in_zeros(const Tensor& grad, IntArrayRef full_sizes, IntArrayRef sizes, IntArrayRef strides,
                      int64_t offset);

}  // namespace webtorch
