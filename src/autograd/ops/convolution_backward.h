#pragma once
// conv2d's differentiable backward (torch 1.13's convolution_backward and its node
// ConvolutionBackwardBackward0), and the recorded convolution on checked parameters that its
// double backward calls (ConvolutionBackward0). Both live beside conv2d: conv2d.cpp and
// convolution_backward.cpp.

#include <array>

#include "core/tensor.h"
#include "ops/conv2d.h"

namespace webtorch {

// The convolution of a batched input on checked parameters, recorded as conv2d records it.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const native::ConvParams& p);

// The gradients of input, weight and bias that output_mask asks for, at grad_output; input is
// read for the weight's gradient, weight for the input's. Recorded (one node for the three
// outputs) when grad mode is on and grad_output, input or weight requires grad.
// input_sizes and weight_sizes give the shapes when input or weight is not needed (undefined).
std::array<Tensor, 3> convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                           IntArrayRef input_sizes, IntArrayRef weight_sizes,
                                           const native::ConvParams& p, std::array<bool, 3> output_mask);

}  // namespace webtorch
