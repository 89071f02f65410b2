#pragma once
// The value half of nll_loss and nll_loss2d (ops/nll_loss.cpp): nothing here records; the ops
// and their nodes are in autograd/ops/nll_loss.cpp.

#include <utility>

#include "ops/ops.h"

namespace webtorch {
namespace native {

// The input seen as [N, C, S] (S = 1 for 1-D and 2-D input, H * W for 4-D), the target as [N, S].
struct Layout {
  int64_t N, C, S;
};
Layout layout_of(IntArrayRef sizes);

// The checks the kernel makes once the shapes are checked: dtypes, then every target in range.
void check_nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t ignore_index);

// The loss (out_sizes is the shape of the unreduced loss) and the total weight of the counted
// targets, which the gradient of a mean divides by.
std::pair<Tensor, double> nll_loss_forward(const Tensor& self, const Tensor& target, const Tensor& weight,
                                           Reduction reduction, int64_t ignore_index, IntArrayRef out_sizes);

Tensor nll_loss_backward(const Tensor& grad, const Tensor& target, const Tensor& weight, IntArrayRef self_sizes,
                         Reduction reduction, int64_t ignore_index, double total_weight);

}  // namespace native
}  // namespace webtorch
