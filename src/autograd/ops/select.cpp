// select and SelectBackward0 (the gradient lands in zeros of the input's shape at index).

#include "autograd/view_tracking.h"
#include "kernels/copy.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SelectBackward0 : Node {
  std::string name() const override { return "SelectBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {select_backward(grads[0], self_sizes_, dim_, index_)};
  }
  DimVector self_sizes_;
  int64_t dim_ = 0, index_ = 0;
};
}  // namespace

Tensor select(const Tensor& self, int64_t dim, int64_t index) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  WT_CHECK(self.dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  const int64_t d = shape::wrap_dim(dim, self.dim());
  const int64_t size = self.size(d);
  WT_CHECK(index >= -size && index < size, "select(): index ", index,
           " out of range for tensor of size ", self.sizes(), " at dimension ", d);
  if (index < 0) index += size;
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes.erase(size_t(d));
  strides.erase(size_t(d));
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset() + index * self.stride(d));
  return record_view<SelectBackward0>(self, out, [&](SelectBackward0& n) {
    n.self_sizes_.assign(self.sizes());
    n.dim_ = d;
    n.index_ = index;
  });
}

}  // namespace webtorch
