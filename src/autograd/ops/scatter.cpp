// scatter (a src tensor: ScatterBackward0; a number: ScatterBackward1), scatter_add
// (ScatterAddBackward0) and their in-place forms. torch 1.13's formulas: self gets
// grad.scatter(dim, index, 0) (scatter_add: grad itself), src gets grad.gather(dim, index).

#include "autograd/recording.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
enum class ScatterKind { Src, Value, Add };

struct ScatterBackward : Node {
  explicit ScatterBackward(ScatterKind kind) : kind_(kind) {}
  std::string name() const override {
    return kind_ == ScatterKind::Src ? "ScatterBackward0" : kind_ == ScatterKind::Value ? "ScatterBackward1" : "ScatterAddBackward0";
  }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor index = index_.unpack(this);
    variable_list out(kind_ == ScatterKind::Value ? 1 : 2);
    if (should_compute_output(0)) out[0] = kind_ == ScatterKind::Add ? g : scatter(g, dim_, index, Scalar(0.0));
    if (kind_ != ScatterKind::Value && should_compute_output(1)) out[1] = gather(g, dim_, index);
    return out;
  }
  void release_variables() override { index_.reset_data(); }
  ScatterKind kind_;
  SavedVariable index_;
  int64_t dim_ = 0;
};

// src for the tensor forms; value (a 0-d tensor of self's dtype) for the number form.
struct ScatterArgs {
  ScatterKind kind;
  const Tensor& self;
  int64_t dim;
  const Tensor& index;
  const Tensor& src;

  const char* op() const { return kind == ScatterKind::Add ? "scatter_add" : "scatter"; }
  std::shared_ptr<ScatterBackward> make_node() const {
    auto node = kind == ScatterKind::Value ? autograd::make_node<ScatterBackward>({&self}, kind)
                                           : autograd::make_node<ScatterBackward>({&self, &src}, kind);
    if (node) node->index_ = SavedVariable(index, false);
    return node;
  }
  bool requires_grad() const {
    return kind == ScatterKind::Value ? autograd::compute_requires_grad({&self})
                                      : autograd::compute_requires_grad({&self, &src});
  }
  // All of PyTorch's checks; the positions to write.
  native::Positions positions(const Tensor& target, int64_t d) const {
    return native::dim_positions(op(), target, d, index, kind == ScatterKind::Value ? Tensor() : src);
  }
  // The values written, one per element of index: src's leading block, or the number.
  void write(const Tensor& out, const native::Positions& p) const {
    DimVector strides(size_t(index.dim()), 0);
    if (src.dim() > 0 && index.dim() > 0) strides.assign(src.strides());
    const Tensor values = alias_with_geometry(src, index.sizes(), strides, src.storage_offset());
    native::put(out, p, values, kind == ScatterKind::Add);
  }
};

Tensor scatter_out_of_place(const ScatterArgs& a) {
  auto node = a.make_node();
  const int64_t d = shape::wrap_dim(a.dim, a.self.dim());
  // The positions are offsets into the (contiguous) result, not into self.
  Tensor out = contiguous_clone(a.self);
  a.write(out, a.positions(out, d));
  if (node) {
    node->dim_ = d;
    autograd::set_history(out, node);
  }
  return out;
}

const Tensor& scatter_in_place(const ScatterArgs& a) {
  std::shared_ptr<ScatterBackward> node;
  native::Positions p;
  return run_inplace(
      a.self, a.requires_grad(),
      [&] {
        node = a.make_node();
        return node;
      },
      [&] {
        const int64_t d = shape::wrap_dim(a.dim, a.self.dim());
        p = a.positions(a.self, d);
        if (node) node->dim_ = d;
      },
      [&] { a.write(a.self, p); });
}

Tensor value_tensor(Scalar value, ScalarType dtype) { return full({}, value, dtype); }
}  // namespace

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_out_of_place({ScatterKind::Src, self, dim, index, src});
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, Scalar value) {
  const Tensor v = value_tensor(value, self.dtype());
  return scatter_out_of_place({ScatterKind::Value, self, dim, index, v});
}
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_out_of_place({ScatterKind::Add, self, dim, index, src});
}
const Tensor& scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_in_place({ScatterKind::Src, self, dim, index, src});
}
const Tensor& scatter_(const Tensor& self, int64_t dim, const Tensor& index, Scalar value) {
  const Tensor v = value_tensor(value, self.dtype());
  return scatter_in_place({ScatterKind::Value, self, dim, index, v});
}
const Tensor& scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_in_place({ScatterKind::Add, self, dim, index, src});
}

}  // namespace webtorch
