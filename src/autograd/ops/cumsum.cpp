// cumsum: running sums along a dim (ops/cumsum.cpp). CumsumBackward0 is PyTorch's
// cumsum_backward: the reversed cumulative sum of the gradient, flip(cumsum(flip(g))), made of
// recorded ops so it can be differentiated again.

#include "ops/cumsum.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct CumsumBackward0 : Node {
  std::string name() const override { return "CumsumBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    if (g.numel() <= 1 || g.dim() == 0 || g.size(dim_) == 1) return {g};
    const DimVector d{dim_};
    return {flip(cumsum(flip(g, d), dim_), d)};
  }
  int64_t dim_ = 0;
};
}  // namespace

Tensor cumsum(const Tensor& self, int64_t dim) {
  auto node = autograd::make_node<CumsumBackward0>({&self});
  const int64_t d = shape::wrap_dim(dim, self.dim());
  Tensor out = native::cumsum_values(self, self.dim() == 0 ? 0 : d);
  if (node) {
    node->dim_ = d;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
