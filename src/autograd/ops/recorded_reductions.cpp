// sum_to and unsqueeze_reduced as recorded ops, for backward formulas run with create_graph
// (Note [Grad mode of a backward pass]): torch 1.13's at::sum_to is sum(dims, keepdim=true)
// then view(shape) when leading dims go, and its sum_backward unsqueezes dim by dim, so the
// gradients they make have those grad_fns and can be differentiated again. The kernel
// versions (op_utils.cpp, reduction_utils.cpp) serve every first-order pass.

#include "autograd/ops/recorded_reductions.h"
#include "ops/reduction_utils.h"

#include "core/grad_mode.h"
#include "autograd/ops/ops.h"

namespace webtorch {

bool records_gradient(const Tensor& grad) { return GradMode::is_enabled() && grad.requires_grad(); }

Tensor sum_to_recorded(const Tensor& grad, IntArrayRef shape) {
  const int64_t lead = grad.dim() - int64_t(shape.size());
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < grad.dim(); ++d)
    if (d < lead || (shape[size_t(d - lead)] == 1 && grad.size(d) != 1)) dims.push_back(d);
  Tensor out = dims.empty() ? grad : sum(grad, IntArrayRef(dims), true);
  return lead > 0 ? view(out, shape) : out;
}

Tensor unsqueeze_reduced_recorded(const Tensor& grad, const bool* mask, size_t ndim) {
  Tensor out = grad;
  for (size_t d = 0; d < ndim; ++d)
    if (mask[d]) out = unsqueeze(out, int64_t(d));
  return out;
}

Tensor unsqueeze_reduced_grad(const Tensor& grad, const bool* mask, size_t ndim, bool keepdim) {
  if (keepdim) return grad;
  if (records_gradient(grad)) return unsqueeze_reduced_recorded(grad, mask, ndim);
  return unsqueeze_reduced(grad, mask, ndim, false);
}

}  // namespace webtorch
