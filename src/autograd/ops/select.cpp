// select and SelectBackward0 (the gradient lands in zeros of the input's shape at index).

#include "autograd/view_tracking.h"
#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SelectBackward0 : Node {
  std::string name() const override { return "SelectBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    // TODO(higher-order): a select_backward op with its own node (PyTorch: SelectBackwardBackward0);
    // the kernel copy below does not record.
    Tensor out = zeros(self_sizes_, g.dtype());
    DimVector sizes(self_sizes_), strides = shape::contiguous_strides(self_sizes_);
    const int64_t offset = index_ * strides[size_t(dim_)];
    sizes.erase(size_t(dim_));
    strides.erase(size_t(dim_));
    kernels::copy(alias_with_geometry(out, sizes, strides, offset), g);
    return {out};
  }
  DimVector self_sizes_;
  int64_t dim_ = 0, index_ = 0;
};
}  // namespace

Tensor select(const Tensor& self, int64_t dim, int64_t index) {
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
