// repeat: self tiled `repeats` times along each dim (leading repeats add dims). RepeatBackward0
// sums the gradient over the copies with PyTorch's repeat_backward (a reshape that splits
// each repeated dim into (repeat, size), then one sum), so it can be differentiated again.

#include "ops/remap_dims.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct RepeatBackward0 : Node {
  std::string name() const override { return "RepeatBackward0"; }
  variable_list apply(variable_list&& grads) override {
    Tensor grad = grads[0];
    for (int64_t r : repeats_)
      if (r == 0) return {zeros(self_sizes_, grad.dtype())};
    const int64_t added = int64_t(repeats_.size() - self_sizes_.size());
    for (int64_t i = 0; i < added; ++i) grad = sum(grad, {0}, false);
    std::vector<int64_t> grad_size, sum_dims;
    for (size_t d = 0; d < self_sizes_.size(); ++d) {
      const int64_t repeat = repeats_[d + size_t(added)];
      if (repeat != 1) {
        grad_size.push_back(repeat);
        sum_dims.push_back(int64_t(grad_size.size()) - 1);
      }
      grad_size.push_back(self_sizes_[d]);
    }
    if (sum_dims.empty()) return {grad};
    return {sum(reshape(grad, grad_size), sum_dims, false)};
  }
  DimVector self_sizes_, repeats_;
};
}  // namespace

Tensor repeat(const Tensor& self, IntArrayRef repeats) {
  auto node = autograd::make_node<RepeatBackward0>({&self});
  WT_CHECK(int64_t(repeats.size()) >= self.dim(),
           "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  const size_t added = repeats.size() - size_t(self.dim());
  DimVector sizes, strides, target;
  for (size_t d = 0; d < repeats.size(); ++d) {
    sizes.push_back(d < added ? 1 : self.size(int64_t(d - added)));
    strides.push_back(d < added ? 0 : self.stride(int64_t(d - added)));
    target.push_back(sizes[d] * repeats[d]);
  }
  for (int64_t s : target) WT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", target);
  std::vector<std::vector<int64_t>> maps;
  for (size_t d = 0; d < repeats.size(); ++d) maps.push_back(native::repeated(sizes[d], repeats[d]));
  Tensor out = native::remap_dims(alias_with_geometry(self, sizes, strides, self.storage_offset()), maps);
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->repeats_.assign(repeats);
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
