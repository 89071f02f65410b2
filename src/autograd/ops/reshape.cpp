// reshape (ReshapeAliasBackward0 when it can be a view, else a contiguous copy viewed with
// UnsafeViewBackward0, as PyTorch 1.13 does) and _unsafe_view.

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ReshapeAliasBackward0 : Node {
  std::string name() const override { return "ReshapeAliasBackward0"; }
  variable_list apply(variable_list&& grads) override { return {reshape(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
struct UnsafeViewBackward0 : Node {
  std::string name() const override { return "UnsafeViewBackward0"; }
  variable_list apply(variable_list&& grads) override { return {reshape(grads[0], self_sizes_)}; }
  DimVector self_sizes_;
};
}  // namespace

Tensor reshape(const Tensor& self, IntArrayRef sizes) {
  const DimVector shape = shape::infer_size(sizes, self.numel());
  DimVector strides;
  if (shape::compute_view_strides(self.sizes(), self.strides(), shape, &strides)) {
    Tensor out = autograd::make_view(self, shape, strides, self.storage_offset());
    return record_view<ReshapeAliasBackward0>(self, out, [&](ReshapeAliasBackward0& n) {
      n.self_sizes_.assign(self.sizes());
    });
  }
  return unsafe_view(contiguous(self), shape);
}

// Reinterprets a fresh contiguous tensor with a new shape. Not a tracked view: the result
// owns its data as far as autograd is concerned.
Tensor unsafe_view(const Tensor& self, IntArrayRef sizes) {
  const DimVector shape = shape::infer_size(sizes, self.numel());
  DimVector strides;
  WT_CHECK(shape::compute_view_strides(self.sizes(), self.strides(), shape, &strides),
           "view size is not compatible with input tensor's size and stride (at least one "
           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  Tensor out = alias_with_geometry(self, shape, strides, self.storage_offset());
  if (auto node = autograd::make_node<UnsafeViewBackward0>({&self})) {
    node->self_sizes_.assign(self.sizes());
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
