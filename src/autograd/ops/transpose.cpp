// transpose and TransposeBackward0 (swap two dims' sizes and strides); t and TBackward0
// (transpose(0, 1) of a matrix, an alias of a 0-d or 1-d tensor).

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct TransposeBackward0 : Node {
  std::string name() const override { return "TransposeBackward0"; }
  variable_list apply(variable_list&& grads) override { return {transpose(grads[0], dim0_, dim1_)}; }
  int64_t dim0_, dim1_;
};

struct TBackward0 : Node {
  std::string name() const override { return "TBackward0"; }
  variable_list apply(variable_list&& grads) override { return {t(grads[0])}; }
};
}  // namespace

Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  const int64_t d0 = shape::wrap_dim(dim0, self.dim());
  const int64_t d1 = shape::wrap_dim(dim1, self.dim());
  DimVector sizes(self.sizes()), strides(self.strides());
  if (self.dim() > 0) {
    std::swap(sizes[size_t(d0)], sizes[size_t(d1)]);
    std::swap(strides[size_t(d0)], strides[size_t(d1)]);
  }
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<TransposeBackward0>(self, out, [&](TransposeBackward0& n) {
    n.dim0_ = d0;
    n.dim1_ = d1;
  });
}

Tensor t(const Tensor& self) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  WT_CHECK(self.dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", self.dim(), "D");
  DimVector sizes(self.sizes()), strides(self.strides());
  if (self.dim() == 2) {
    std::swap(sizes[0], sizes[1]);
    std::swap(strides[0], strides[1]);
  }
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<TBackward0>(self, out, [](TBackward0&) {});
}

}  // namespace webtorch
