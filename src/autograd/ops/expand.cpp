// expand and ExpandBackward0 (size-1 dims repeat with stride 0; the gradient sums back).

#include "autograd/view_tracking.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ExpandBackward0 : Node {
  std::string name() const override { return "ExpandBackward0"; }
  // at::sum_to sums for a 0-d target even when the gradient is 0-d already: always a new
  // tensor, never the incoming gradient (which autograd.grad would otherwise hand back).
  variable_list apply(variable_list&& grads) override {
    return {self_sizes_.empty() ? sum(grads[0]) : sum_to(grads[0], self_sizes_)};
  }
  DimVector self_sizes_;
};
}  // namespace

Tensor expand(const Tensor& self, IntArrayRef sizes) {
  autograd::collect_next_edges_first({&self});  // Note [The autograd layer checks before the kernel]
  WT_CHECK(sizes.size() >= size_t(self.dim()), "expand(", legacy_type_name(self.dtype()), "{", self.sizes(),
           "}, size=", sizes,
           "): the number of sizes provided (", sizes.size(), ") must be greater or equal to the "
           "number of dimensions in the tensor (", self.dim(), ")");
  const int64_t lead = int64_t(sizes.size()) - self.dim();
  DimVector out_sizes(sizes.size(), 0), out_strides(sizes.size(), 0);
  for (int64_t i = int64_t(sizes.size()) - 1; i >= 0; --i) {
    const int64_t td = i - lead;
    const int64_t want = sizes[size_t(i)];
    if (td < 0) {
      WT_CHECK(want != -1, "The expanded size of the tensor (", want,
               ") isn't allowed in a leading, non-existing dimension ", i);
      WT_CHECK(want >= 0, "numel: integer multiplication overflow");  // PyTorch's text
      // at::inferExpandGeometry: a new leading dim gets the stride of the dims inside it
      // (it matters when the dim has size 1: the memory-overlap checks compare strides).
      out_sizes[size_t(i)] = want;
      out_strides[size_t(i)] = size_t(i) + 1 < sizes.size() ? out_sizes[size_t(i) + 1] * out_strides[size_t(i) + 1] : 0;
      if (want != 1) out_strides[size_t(i)] = 0;
      continue;
    }
    const int64_t have = self.size(td);
    const int64_t target = want == -1 ? have : want;
    // A size-1 dim took any target, -3 included: a tensor of negative size that later reads
    // fail on. PyTorch refuses it when it computes numel, with this text.
    WT_CHECK(target >= 0, "numel: integer multiplication overflow");
    WT_CHECK(have == target || have == 1, "The expanded size of the tensor (", target,
             ") must match the existing size (", have, ") at non-singleton dimension ", i,
             ".  Target sizes: ", sizes, ".  Tensor sizes: ", self.sizes());
    out_sizes[size_t(i)] = target;
    out_strides[size_t(i)] = have == target ? self.stride(td) : 0;
  }
  Tensor out = autograd::make_view(self, out_sizes, out_strides, self.storage_offset());
  return record_view<ExpandBackward0>(self, out, [&](ExpandBackward0& n) { n.self_sizes_.assign(self.sizes()); });
}

}  // namespace webtorch
