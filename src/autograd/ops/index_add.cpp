// index_add_(self, dim, index, source) and IndexAddBackward0 (self: grad; source:
// grad.index_select(dim, index)): index_select's backward (gather.cpp), differentiable again.

#include <algorithm>

#include "autograd/recording.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
struct IndexAddBackward0 : Node {
  std::string name() const override { return "IndexAddBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    if (should_compute_output(0)) out[0] = g;
    if (should_compute_output(1)) out[1] = index_select(g, dim_, index_.unpack(this));
    return out;
  }
  void release_variables() override { index_.reset_data(); }
  SavedVariable index_;
  int64_t dim_ = 0;
};
}  // namespace

const Tensor& index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  std::shared_ptr<IndexAddBackward0> node;
  native::Positions p;
  return run_inplace(
      self, autograd::compute_requires_grad({&self, &source}),
      [&] {
        node = autograd::make_node<IndexAddBackward0>({&self, &source});
        node->index_ = SavedVariable(index, false);
        return node;
      },
      [&] {
        const int64_t d = shape::wrap_dim(dim, self.dim());
        p = native::select_positions(self, d, index);
        WT_CHECK(std::equal(p.shape.begin(), p.shape.end(), source.sizes().begin(), source.sizes().end()),
                 "index_add_(): Source/destination tensor must have same slice shapes");
        WT_CHECK(source.dtype() == self.dtype(), "index_add_(): self (", torch_name(self.dtype()), ") and source (",
                 torch_name(source.dtype()), ") must have the same scalar type");
        if (node) node->dim_ = d;
      },
      [&] { native::put(self, p, source, true); });
}

}  // namespace webtorch
