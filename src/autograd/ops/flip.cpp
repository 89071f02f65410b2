// flip: the order of the elements reversed along each of dims. FlipBackward0 flips the
// gradient back (the same op, so it can be differentiated again).

#include "ops/remap_dims.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct FlipBackward0 : Node {
  std::string name() const override { return "FlipBackward0"; }
  variable_list apply(variable_list&& grads) override { return {flip(grads[0], dims_)}; }
  DimVector dims_;
};
}  // namespace

Tensor flip(const Tensor& self, IntArrayRef dims) {
  auto node = autograd::make_node<FlipBackward0>({&self});
  bool mask[kMaxDims];
  dims_to_mask(dims, self.dim(), mask);
  std::vector<std::vector<int64_t>> maps;
  for (int64_t d = 0; d < self.dim(); ++d) {
    const int64_t n = self.size(d);
    maps.push_back(mask[d] ? native::flipped(n) : native::repeated(n, 1));
  }
  Tensor out = native::remap_dims(self, maps);
  if (node) {
    node->dims_.assign(dims);
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
