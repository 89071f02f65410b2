// squeeze() with SqueezeBackward0, squeeze(dim) with SqueezeBackward1, and the in-place
// squeeze_(dim) with SqueezeBackward3.

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
// PyTorch's unsqueeze_to: the gradient itself when squeeze removed no dim (not a view of
// it), else views that put the size-1 dims back.
Tensor unsqueeze_to(const Tensor& grad, IntArrayRef self_sizes) {
  return grad.sizes().equals(self_sizes) ? grad : reshape(grad, self_sizes);
}

struct SqueezeBackward0 : Node {
  std::string name() const override { return "SqueezeBackward0"; }
  variable_list apply(variable_list&& grads) override { return {unsqueeze_to(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
struct SqueezeBackward1 : Node {
  std::string name() const override { return "SqueezeBackward1"; }
  variable_list apply(variable_list&& grads) override { return {unsqueeze_to(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
struct SqueezeBackward3 : Node {
  std::string name() const override { return "SqueezeBackward3"; }
  variable_list apply(variable_list&& grads) override { return {unsqueeze_to(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};

void squeezed_geometry(const Tensor& self, int64_t d, DimVector* sizes, DimVector* strides) {
  sizes->assign(self.sizes());
  strides->assign(self.strides());
  if (self.dim() > 0 && self.size(d) == 1) {
    sizes->erase(size_t(d));
    strides->erase(size_t(d));
  }
}
}  // namespace

Tensor squeeze(const Tensor& self) {
  DimVector sizes, strides;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (self.size(d) == 1) continue;
    sizes.push_back(self.size(d));
    strides.push_back(self.stride(d));
  }
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<SqueezeBackward0>(self, out, [&](SqueezeBackward0& n) { n.self_sizes_.assign(self.sizes()); });
}

Tensor squeeze(const Tensor& self, int64_t dim) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  const int64_t d = shape::wrap_dim(dim, self.dim());
  DimVector sizes, strides;
  squeezed_geometry(self, d, &sizes, &strides);
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<SqueezeBackward1>(self, out, [&](SqueezeBackward1& n) { n.self_sizes_.assign(self.sizes()); });
}

const Tensor& squeeze_(const Tensor& self, int64_t dim) {
  const int64_t d = shape::wrap_dim(dim, self.dim());
  DimVector sizes, strides;
  squeezed_geometry(self, d, &sizes, &strides);
  const DimVector old_sizes(self.sizes());
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg,
      [&] {
        auto node = autograd::make_node<SqueezeBackward3>({&self});
        node->self_sizes_ = old_sizes;
        return node;
      },
      [&] { self.impl()->set_sizes_and_strides(sizes, strides); });
}

}  // namespace webtorch
