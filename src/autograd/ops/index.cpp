// at::index (IndexBackward0) and index_put_ (IndexPutBackward0): advanced indexing with one
// optional index tensor per leading dim (ops/indexing.h). torch 1.13's formulas: index's
// gradient is zeros(self's shape) with grad accumulated at the indexed positions
// (_index_put_impl_, whose node is IndexPutImplBackward0); index_put_'s self gets grad (with
// accumulate) or grad with zeros put at the indexed positions, its values grad.index(indices).

#include <algorithm>

#include "autograd/recording.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
// The index tensors a node saves; undefined entries (dims left alone) stay undefined.
struct SavedIndices {
  std::vector<SavedVariable> saved;
  std::vector<bool> defined;
  void save(const std::vector<Tensor>& indices) {
    for (const Tensor& t : indices) {
      defined.push_back(t.defined());
      if (t.defined()) saved.emplace_back(t, false);
    }
  }
  std::vector<Tensor> unpack(const Node* owner) const {
    std::vector<Tensor> out;
    size_t k = 0;
    for (bool d : defined) out.push_back(d ? saved[k++].unpack(owner) : Tensor());
    return out;
  }
  void reset() {
    for (SavedVariable& s : saved) s.reset_data();
  }
};

const Tensor& index_put_node(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values,
                             bool accumulate, bool impl);

// An out-of-place index_put: the backward of index_put_ without accumulate.
Tensor index_put(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  return index_put_node(clone(self), indices, values, accumulate, false);
}

struct IndexBackward0 : Node {
  std::string name() const override { return "IndexBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    return {index_put_node(zeros(self_sizes_, g.dtype()), indices_.unpack(this), g, true, true)};
  }
  void release_variables() override { indices_.reset(); }
  DimVector self_sizes_;
  SavedIndices indices_;
};

struct IndexPutBackward : Node {
  explicit IndexPutBackward(bool impl) : impl_(impl) {}
  std::string name() const override { return impl_ ? "IndexPutImplBackward0" : "IndexPutBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const std::vector<Tensor> indices = indices_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0))
      out[0] = accumulate_ ? g : index_put(g, indices, zeros(values_sizes_, g.dtype()), false);
    if (should_compute_output(1)) out[1] = index(g, indices);
    return out;
  }
  void release_variables() override { indices_.reset(); }
  bool impl_;
  bool accumulate_ = false;
  DimVector values_sizes_;
  SavedIndices indices_;
};

const Tensor& index_put_node(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values,
                             bool accumulate, bool impl) {
  std::shared_ptr<IndexPutBackward> node;
  native::Positions p;
  Tensor v;
  return run_inplace(
      self, autograd::compute_requires_grad({&self, &values}),
      [&] {
        node = autograd::make_node<IndexPutBackward>({&self, &values}, impl);
        node->accumulate_ = accumulate;
        node->values_sizes_.assign(values.sizes());
        return node;
      },
      [&] {
        WT_CHECK(values.dtype() == self.dtype(), "Index put requires the source and destination dtypes match, got ",
                 torch_name(self.dtype()), " for the destination and ", torch_name(values.dtype()), " for the source.");
        const std::vector<Tensor> expanded = native::expand_index_tensors(self, indices);
        p = native::advanced_positions(self, expanded);
        WT_CHECK(is_expandable_to(values.sizes(), p.shape), "shape mismatch: value tensor of shape ", values.sizes(),
                 " cannot be broadcast to indexing result of shape ", p.shape);
        v = native::broadcast_to(values, p.shape);
        if (node) node->indices_.save(expanded);
      },
      [&] { native::put(self, p, v, accumulate); });
}
}  // namespace

Tensor index(const Tensor& self, const std::vector<Tensor>& indices) {
  auto node = autograd::make_node<IndexBackward0>({&self});
  const std::vector<Tensor> expanded = native::expand_index_tensors(self, indices);
  const native::Positions p = native::advanced_positions(self, expanded);
  Tensor out = native::take(self, p);
  if (node) {
    node->self_sizes_.assign(self.sizes());
    node->indices_.save(expanded);
    autograd::set_history(out, node);
  }
  return out;
}

const Tensor& index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values,
                         bool accumulate) {
  return index_put_node(self, indices, values, accumulate, false);
}

}  // namespace webtorch
