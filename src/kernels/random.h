#pragma once
// Random fills that reproduce PyTorch 1.13's CPU streams bit for bit (Note [Reproducing
// torch.rand and torch.randn] in kernels/random.cpp). Below autograd; dst is a fresh
// contiguous float32 tensor.

#include "core/generator.h"
#include "core/tensor.h"

namespace webtorch {
namespace kernels {

// torch.rand: uniform floats in [0, 1), one 32-bit draw each, in order.
void uniform(const Tensor& dst, CPUGenerator& gen);
// torch.randn: standard normal floats.
void normal(const Tensor& dst, CPUGenerator& gen);
// at::uniform_real_distribution<double>(0, 1): the low 53 bits of one 64-bit draw.
double uniform_real_double(CPUGenerator& gen);

}  // namespace kernels
}  // namespace webtorch
