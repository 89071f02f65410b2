// permute and PermuteBackward0 (the gradient is permuted back by the inverse order).

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct PermuteBackward0 : Node {
  std::string name() const override { return "PermuteBackward0"; }
  variable_list apply(variable_list&& grads) override {
    DimVector inverse(dims_.size(), 0);
    for (size_t i = 0; i < dims_.size(); ++i) inverse[size_t(dims_[i])] = int64_t(i);
    return {permute(grads[0], inverse)};
  }
  DimVector dims_;  // wrapped
};
}  // namespace

Tensor permute(const Tensor& self, IntArrayRef dims) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  const int64_t ndim = self.dim();
  WT_CHECK(int64_t(dims.size()) == ndim,
           "permute(sparse_coo): number of dimensions in the tensor input does not match the "
           "length of the desired ordering of dimensions i.e. input.dim() = ",
           ndim, " is not equal to len(dims) = ", dims.size());
  DimVector wrapped, sizes, strides;
  bool seen[kMaxDims] = {false};
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = shape::wrap_dim(dims[i], ndim);
    WT_CHECK(!seen[d], "permute(): duplicate dims are not allowed.");
    seen[d] = true;
    wrapped.push_back(d);
    sizes.push_back(self.size(d));
    strides.push_back(self.stride(d));
  }
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset());
  return record_view<PermuteBackward0>(self, out, [&](PermuteBackward0& n) { n.dims_ = wrapped; });
}

}  // namespace webtorch
