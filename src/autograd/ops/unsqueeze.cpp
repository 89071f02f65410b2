// unsqueeze and UnsqueezeBackward0 (insert a size-1 dim).

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct UnsqueezeBackward0 : Node {
  std::string name() const override { return "UnsqueezeBackward0"; }
  variable_list apply(variable_list&& grads) override { return {squeeze(grads[0], dim_)}; }
  int64_t dim_;
};
}  // namespace

Tensor unsqueeze(const Tensor& self, int64_t dim) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  const int64_t d = shape::wrap_dim(dim, self.dim() + 1, false);
  DimVector sizes(self.sizes()), strides(self.strides());
  const int64_t stride = d >= self.dim() ? 1 : self.size(d) * self.stride(d);
  sizes.insert(size_t(d), 1);
  strides.insert(size_t(d), stride);
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<UnsqueezeBackward0>(self, out, [&](UnsqueezeBackward0& n) { n.dim_ = d; });
}

}  // namespace webtorch
