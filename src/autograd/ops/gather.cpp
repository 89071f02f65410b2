// gather(self, dim, index) (GatherBackward0) and index_select(self, dim, index)
// (IndexSelectBackward0): reads along dim whose gradient is written back into zeros of self's
// shape, added where index repeats, in place as torch 1.13 does (so the gradient's version is
// 1): gather_backward is zeros.scatter_add_(dim, index, grad), index_select_backward
// zeros.index_add_(dim, index, grad), which record ScatterAddBackward0 / IndexAddBackward0
// under createGraph.

#include "autograd/recording.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
using WriteBack = const Tensor& (*)(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);

struct ReadAlongDimBackward : Node {
  ReadAlongDimBackward(const char* name, WriteBack write_back) : name_(name), write_back_(write_back) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    return {write_back_(zeros(self_sizes_, g.dtype()), dim_, index_.unpack(this), g)};
  }
  void release_variables() override { index_.reset_data(); }
  const char* name_;
  WriteBack write_back_;
  SavedVariable index_;
  DimVector self_sizes_;
  int64_t dim_ = 0;
};

template <class Positions>
Tensor read_along_dim(const Tensor& self, int64_t dim, const Tensor& index, const char* node_name, WriteBack write_back,
                      Positions&& positions) {
  auto node = autograd::make_node<ReadAlongDimBackward>({&self}, node_name, write_back);
  if (node) node->index_ = SavedVariable(index, false);
  const int64_t d = shape::wrap_dim(dim, self.dim());
  Tensor out = native::take(self, positions(d));
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->dim_ = d;
    autograd::set_history(out, node);
  }
  return out;
}
}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  return read_along_dim(self, dim, index, "GatherBackward0", scatter_add_,
                        [&](int64_t d) { return native::dim_positions("gather", self, d, index, Tensor()); });
}

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  return read_along_dim(self, dim, index, "IndexSelectBackward0", index_add_,
                        [&](int64_t d) { return native::select_positions(self, d, index); });
}

}  // namespace webtorch
