// sort and topk: values and int32 indices along a dim (Note [Tie order of sort and topk]).
// SortBackward0 / TopkBackward0 place the values' gradient at the indices in zeros of the
// input's shape (PyTorch's value_selecting_reduction_backward, a scatter_ into zeros, so the
// gradient's own node is ScatterBackward0); its gradient gathers at the same indices
// (GatherBackward0), whose gradient scatters again (ScatterAddBackward0 in PyTorch, the same
// values here: the indices of one row are distinct).

#include "ops/sort.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

Tensor scatter_into_zeros(const Tensor& grad, int64_t dim, const Tensor& index, IntArrayRef sizes, const char* name);

struct GatherBackward0 : Node {
  std::string name() const override { return "GatherBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {scatter_into_zeros(grads[0], dim_, index_.unpack(this), sizes_, "ScatterAddBackward0")};
  }
  void release_variables() override { index_.reset_data(); }
  SavedVariable index_;
  DimVector sizes_;
  int64_t dim_ = 0;
};

Tensor gather_at(const Tensor& src, int64_t dim, const Tensor& index) {
  auto node = autograd::make_node<GatherBackward0>({&src});
  Tensor out = native::gather_along(src, dim, index);
  if (node) {
    node->index_ = SavedVariable(index, false);
    node->sizes_.assign(src.sizes());
    node->dim_ = dim;
    autograd::set_history(out, node);
  }
  return out;
}

struct ScatterIntoZerosBackward : Node {
  explicit ScatterIntoZerosBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override { return {gather_at(grads[0], dim_, index_.unpack(this))}; }
  void release_variables() override { index_.reset_data(); }
  const char* name_;
  SavedVariable index_;
  int64_t dim_ = 0;
};

Tensor scatter_into_zeros(const Tensor& grad, int64_t dim, const Tensor& index, IntArrayRef sizes, const char* name) {
  auto node = autograd::make_node<ScatterIntoZerosBackward>({&grad}, name);
  Tensor out = native::scatter_along(sizes, dim, index, grad);
  if (node) {
    node->index_ = SavedVariable(index, false);
    node->dim_ = dim;
    autograd::set_history(out, node);
  }
  return out;
}

struct ValueSelectingBackward : Node {
  explicit ValueSelectingBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override {
    return {scatter_into_zeros(grads[0], dim_, indices_.unpack(this), sizes_, "ScatterBackward0")};
  }
  void release_variables() override { indices_.reset_data(); }
  const char* name_;
  SavedVariable indices_;
  DimVector sizes_;
  int64_t dim_ = 0;
};

// compute() checks the arguments, sets the wrapped dim and returns (values, indices).
template <class Compute>
std::tuple<Tensor, Tensor> value_selecting(const Tensor& self, const char* name, const int64_t& dim, Compute&& compute) {
  auto node = autograd::make_node<ValueSelectingBackward>({&self}, name);  // before the checks
  auto [values, indices] = compute();
  if (node) {
    node->sizes_.assign(self.sizes());
    node->dim_ = dim;
    autograd::set_history(values, node);
    node->indices_ = SavedVariable(indices, true);
  }
  return {values, indices};
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending) {
  return sort(self, std::nullopt, dim, descending);
}

// sort.stable, when stable is given (SortBackward1, even for false).
std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending) {
  int64_t d = 0;
  return value_selecting(self, stable ? "SortBackward1" : "SortBackward0", d, [&] {
    d = shape::wrap_dim(dim, self.dim());  // a 0-d tensor takes dims -1 and 0
    return native::sort_values(self, d, descending, stable.value_or(false));
  });
}

std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted) {
  int64_t d = 0;
  return value_selecting(self, "TopkBackward0", d, [&] {
    d = shape::wrap_dim(dim, self.dim());  // a 0-d tensor takes dims -1 and 0
    WT_CHECK(k >= 0 && k <= (self.dim() > 0 ? self.size(d) : 1), "selected index k out of range");
    return native::topk_values(self, k, d, largest, sorted);
  });
}

}  // namespace webtorch
