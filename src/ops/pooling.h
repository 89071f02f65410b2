#pragma once
// The value half of max_pool2d, avg_pool2d and adaptive_avg_pool2d (ops/pooling.cpp): PyTorch
// 1.13's geometry checks and float32 NCHW kernels. Nothing here records; the ops and their
// nodes are in autograd/ops/{max_pool2d,avg_pool2d,adaptive_avg_pool2d}.cpp.
//
// Note [Pooling planes]: a 3-D (C, H, W) or 4-D (N, C, H, W) input is N*C independent planes
// of H x W; every kernel loops over planes (in parallel) and the output keeps the input's
// leading dims with (OH, OW) last.

#include <optional>

#include "core/tensor.h"

namespace webtorch {
namespace native {

struct Pool2dGeometry {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  bool ceil_mode = false;
  int64_t planes = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  DimVector out_sizes;  // the input's leading dims, then oh, ow
};

// The checks of max_pool2d_with_indices / avg_pool2d in PyTorch's order, and the geometry.
Pool2dGeometry check_max_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                IntArrayRef padding, IntArrayRef dilation, bool ceil_mode);
Pool2dGeometry check_avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                IntArrayRef padding, bool ceil_mode, std::optional<int64_t> divisor_override);

// The maxima and their flat indices (h * W + w within the plane, int32; PyTorch: int64). A NaN
// wins its window, as in PyTorch.
std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const Pool2dGeometry& g);
// grad_output scattered (added) to the indices' positions in zeros of input_sizes.
Tensor max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, IntArrayRef input_sizes);
// grad (input-shaped) read at the indices: the gradient of max_pool2d_backward for grad_output.
Tensor max_pool2d_gather(const Tensor& grad, const Tensor& indices);

struct AvgPoolOptions {
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override;
};
Tensor avg_pool2d(const Tensor& input, const Pool2dGeometry& g, const AvgPoolOptions& o);
Tensor avg_pool2d_backward(const Tensor& grad_output, IntArrayRef input_sizes, const Pool2dGeometry& g,
                           const AvgPoolOptions& o);

// adaptive_avg_pool2d's checks: output_size (two sizes >= 0), then the input (3-D or 4-D,
// non-empty spatial dims, float32).
void check_adaptive_output_size(IntArrayRef output_size);
void check_adaptive_avg_pool2d(const Tensor& input);
// Window i of n over a length: [floor(i * len / n), ceil((i + 1) * len / n)).
Tensor adaptive_avg_pool2d(const Tensor& input, int64_t oh, int64_t ow);
Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, IntArrayRef input_sizes);

}  // namespace native
}  // namespace webtorch
