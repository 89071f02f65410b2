// stack and StackBackward0: equal-shaped inputs, promoted to their common dtype, become the
// slices of a new dim; each input's gradient is its slice (select) of the incoming one.

#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct StackBackward0 : Node {
  std::string name() const override { return "StackBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(num_outputs());
    for (size_t i = 0; i < out.size(); ++i)
      if (should_compute_output(i)) out[i] = select(grads[0], dim_, int64_t(i));
    return out;
  }
  int64_t dim_ = 0;
};
}  // namespace

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  WT_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  auto node = autograd::make_list_node<StackBackward0>(tensors);  // before the checks, as cat
  const Tensor& first = tensors[0];
  const int64_t d = shape::wrap_dim(dim, first.dim() + 1);
  for (size_t i = 1; i < tensors.size(); ++i)
    WT_CHECK(tensors[i].sizes().equals(first.sizes()), "stack expects each tensor to be equal size, but got ",
             first.sizes(), " at entry 0 and ", tensors[i].sizes(), " at entry ", i);
  ScalarType type = first.dtype();
  for (const Tensor& t : tensors) type = promote_types(type, t.dtype());

  if (node) node->dim_ = d;

  DimVector shape(first.sizes());
  shape.insert(size_t(d), int64_t(tensors.size()));
  Tensor out = empty(shape, type);
  DimVector slice_sizes(out.sizes()), slice_strides(out.strides());
  slice_sizes.erase(size_t(d));
  slice_strides.erase(size_t(d));
  for (size_t i = 0; i < tensors.size(); ++i)
    kernels::copy(alias_with_geometry(out, slice_sizes, slice_strides, int64_t(i) * out.stride(d)), tensors[i]);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
