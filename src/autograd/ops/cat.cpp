// cat and CatBackward0: the inputs are promoted to their common dtype and copied one after
// the other along dim; each input's gradient is its slice of the incoming one.
//
// PyTorch's legacy rule: a 1-D tensor of size [0] is skipped (it may have any other shape
// than the rest), and it does not decide how dim wraps; its gradient is an empty [0].

#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

bool skipped(const Tensor& t) { return t.dim() == 1 && t.size(0) == 0; }
bool skipped(IntArrayRef sizes) { return sizes.size() == 1 && sizes[0] == 0; }

struct CatBackward0 : Node {
  std::string name() const override { return "CatBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(sizes_.size());
    int64_t offset = 0;
    for (size_t i = 0; i < sizes_.size(); ++i) {
      if (skipped(sizes_[i])) {
        if (should_compute_output(i)) out[i] = zeros({0}, g.dtype());
        continue;
      }
      const int64_t size = sizes_[i][size_t(dim_)];
      if (should_compute_output(i)) out[i] = narrow(g, dim_, offset, size);
      offset += size;
    }
    return out;
  }
  std::vector<DimVector> sizes_;
  int64_t dim_ = 0;
};

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  WT_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors");
  // The node first: reading the inputs' grad_fn may raise before the checks below (Note
  // [The autograd layer checks before the kernel]).
  auto node = autograd::make_list_node<CatBackward0>(tensors);
  for (size_t i = 0; i < tensors.size(); ++i)
    WT_CHECK(tensors[i].dim() > 0, "zero-dimensional tensor (at position ", i,
             ") cannot be concatenated");
  size_t valid = tensors.size();
  for (size_t i = 0; i < tensors.size() && valid == tensors.size(); ++i)
    if (!skipped(tensors[i])) valid = i;
  const int64_t d = valid < tensors.size() ? shape::wrap_dim(dim, tensors[valid].dim()) : dim;
  ScalarType type = tensors[0].dtype();
  for (const Tensor& t : tensors) type = promote_types(type, t.dtype());
  DimVector out_shape{0};
  if (valid < tensors.size()) {
    const Tensor& first = tensors[valid];
    out_shape.assign(first.sizes());
    int64_t total = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const Tensor& t = tensors[i];
      if (skipped(t)) continue;
      WT_CHECK(t.dim() == first.dim(), "Tensors must have same number of dimensions: got ",
               first.dim(), " and ", t.dim());
      for (int64_t k = 0; k < first.dim(); ++k)
        WT_CHECK(k == d || first.size(k) == t.size(k), "Sizes of tensors must match except in dimension ", d,
                 ". Expected size ", first.size(k), " but got size ", t.size(k), " for tensor number ", i,
                 " in the list.");
      total += t.size(d);
    }
    out_shape[size_t(d)] = total;
  }
  if (node) {
    for (const Tensor& t : tensors) node->sizes_.emplace_back(t.sizes());
    node->dim_ = d;
  }

  Tensor out = empty(out_shape, type);
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    if (skipped(t)) continue;
    DimVector sizes(out.sizes());
    sizes[size_t(d)] = t.size(d);
    kernels::copy(alias_with_geometry(out, sizes, out.strides(), offset * out.stride(d)), t);
    offset += t.size(d);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
