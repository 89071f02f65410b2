// gather(self, dim, index) and GatherBackward0: the gradient is scattered back, added where
// index repeats (torch 1.13's gather_backward: zeros.scatter_add_(dim, index, grad), in place as here, which
// records ScatterAddBackward0 under createGraph).

#include "autograd/recording.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
struct GatherBackward0 : Node {
  std::string name() const override { return "GatherBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    return {scatter_add_(zeros(self_sizes_, g.dtype()), dim_, index_.unpack(this), g)};
  }
  void release_variables() override { index_.reset_data(); }
  SavedVariable index_;
  DimVector self_sizes_;
  int64_t dim_ = 0;
};
}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  auto node = autograd::make_node<GatherBackward0>({&self});
  if (node) node->index_ = SavedVariable(index, false);
  const int64_t d = shape::wrap_dim(dim, self.dim());
  Tensor out = native::take(self, native::dim_positions("gather", self, d, index, Tensor()));
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->dim_ = d;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
