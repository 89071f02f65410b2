// view and ViewBackward0: same storage, new shape; fails when the strides cannot express it.

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ViewBackward0 : Node {
  std::string name() const override { return "ViewBackward0"; }
  variable_list apply(variable_list&& grads) override { return {reshape(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
}  // namespace

Tensor view(const Tensor& self, IntArrayRef sizes) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  const DimVector shape = shape::infer_size(sizes, self.numel());
  DimVector strides;
  WT_CHECK(shape::compute_view_strides(self.sizes(), self.strides(), shape, &strides),
           "view size is not compatible with input tensor's size and stride (at least one "
           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  Tensor out = autograd::make_view(self, shape, strides, self.storage_offset());
  return record_view<ViewBackward0>(self, out, [&](ViewBackward0& n) { n.self_sizes_.assign(self.sizes()); });
}

}  // namespace webtorch
