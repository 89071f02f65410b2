// nll_loss (NllLossBackward0), nll_loss2d (NllLoss2DBackward0) and nll_loss_nd, as PyTorch
// 1.13 computes and checks them. Class indices are int32 tensors: webtorch's index dtype
// plays the part of PyTorch's int64 here.
//
// One kernel serves both ops: the input is seen as [N, C, S] (S = 1 for 1-D and 2-D input,
// H * W for 4-D) and the target as [N, S].

#include "core/dispatch_below_autograd.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct Layout {
  int64_t N, C, S;
};

Layout layout_of(const Tensor& self) {
  if (self.dim() == 1) return {1, self.size(0), 1};
  if (self.dim() == 2) return {self.size(0), self.size(1), 1};
  return {self.size(0), self.size(1), self.size(2) * self.size(3)};
}

struct NllLossBackward : Node {
  explicit NllLossBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override {
    // TODO(higher-order): an nll_loss_backward op with its own node (PyTorch:
    // NllLossBackwardBackward0); the loop below does not record.
    const Tensor g = grads[0].is_contiguous() ? grads[0] : contiguous_clone(grads[0]);
    const Tensor target = target_.unpack(this);
    const Tensor weight = weight_.defined() ? weight_.unpack(this) : Tensor();
    const Layout L = layout_;
    Tensor gi = zeros(self_sizes_);
    float* gid = gi.data<float>();
    const int32_t* td = target.data<int32_t>();
    const float* wd = weight.defined() ? weight.data<float>() : nullptr;
    const float* gd = g.data<float>();
    for (int64_t n = 0; n < L.N; ++n)
      for (int64_t s = 0; s < L.S; ++s) {
        const int32_t t = td[n * L.S + s];
        if (t == ignore_index_) continue;
        const float go = reduction_ == Reduction::None ? gd[n * L.S + s] : gd[0];
        float v = reduction_ == Reduction::Mean ? -(go / float(total_weight_)) : -go;
        if (wd) v = wd[t] * v;
        gid[(n * L.C + t) * L.S + s] = v;
      }
    return {gi, Tensor()};  // no gradient for the class weights (PyTorch has none either)
  }
  void release_variables() override {
    target_.reset_data();
    weight_.reset_data();
  }
  const char* name_;
  SavedVariable target_, weight_;  // contiguous copies
  DimVector self_sizes_;
  Layout layout_{};
  Reduction reduction_ = Reduction::Mean;
  int64_t ignore_index_ = -100;
  double total_weight_ = 0;
};

// The shared forward once the shapes are checked; out_sizes is the shape of the unreduced loss.
Tensor nll_forward(const char* node_name, const Tensor& self, const Tensor& target, const Tensor& weight,
                   Reduction reduction, int64_t ignore_index, IntArrayRef out_sizes) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"", self.dim() == 4 ? "nll_loss2d_forward_out_frame" : "nll_loss_out_frame",
           "\" not implemented for '", torch_name(self.dtype()), "'");
  WT_CHECK(target.dtype() == ScalarType::Int32, "expected scalar type Int but found ", torch_name(target.dtype()));
  WT_CHECK(!weight.defined() || weight.dtype() == ScalarType::Float32, "expected scalar type Float but found ",
           torch_name(weight.dtype()));
  const Layout L = layout_of(self);
  const Tensor x = self.is_contiguous() ? self : contiguous_clone(self);
  const Tensor t = target.is_contiguous() ? target : contiguous_clone(target);
  const Tensor w = !weight.defined() || weight.is_contiguous() ? weight : contiguous_clone(weight);
  const float* xd = x.data<float>();
  const int32_t* td = t.data<int32_t>();
  const float* wd = w.defined() ? w.data<float>() : nullptr;
  // Bounds first: a failing op changes nothing and records nothing.
  for (int64_t i = 0; i < L.N * L.S; ++i) {
    const int32_t c = td[i];
    if (c == ignore_index) continue;
    WT_CHECK(c >= 0 && c < L.C, "Target ", c, " is out of bounds.");
  }
  auto node = autograd::make_node<NllLossBackward>({&self, &weight}, node_name);
  if (node) {
    // target and weight are saved as copies: PyTorch saves the tensors themselves, but they
    // never require grad, and a copy keeps a later in-place change of them harmless.
    node->target_ = SavedVariable(contiguous_clone(t), false);
    if (w.defined()) node->weight_ = SavedVariable(contiguous_clone(w), false);
    node->self_sizes_.assign(self.sizes());
    node->layout_ = L;
    node->reduction_ = reduction;
    node->ignore_index_ = ignore_index;
  }
  Tensor out;
  double total_weight = 0;
  if (reduction == Reduction::None) {
    out = empty(out_sizes, ScalarType::Float32);
    float* od = out.data<float>();
    for (int64_t n = 0; n < L.N; ++n)
      for (int64_t s = 0; s < L.S; ++s) {
        const int32_t c = td[n * L.S + s];
        if (c == ignore_index) {
          od[n * L.S + s] = 0.0f;
          continue;
        }
        const float v = xd[(n * L.C + c) * L.S + s];
        od[n * L.S + s] = wd ? -(wd[c] * v) : -v;
        total_weight += wd ? wd[c] : 1.0f;
      }
  } else {
    double loss = 0;
    for (int64_t n = 0; n < L.N; ++n)
      for (int64_t s = 0; s < L.S; ++s) {
        const int32_t c = td[n * L.S + s];
        if (c == ignore_index) continue;
        const float v = xd[(n * L.C + c) * L.S + s];
        const float wc = wd ? wd[c] : 1.0f;
        loss -= double(v) * double(wc);
        total_weight += wc;
      }
    if (reduction == Reduction::Mean) loss = float(loss) / float(total_weight);  // 0 / 0 is NaN, as in PyTorch
    out = full({}, float(loss));
  }
  if (node) {
    node->total_weight_ = total_weight;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace

Tensor nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                int64_t ignore_index) {
  WT_CHECK(self.dim() > 0 && self.dim() <= 2, "input tensor should be 1D or 2D");
  WT_CHECK(target.dim() <= 1, "0D or 1D target tensor expected, multi-target not supported");
  const bool no_batch_dim = self.dim() == 1 && target.dim() == 0;
  WT_CHECK(no_batch_dim || target.dim() == 1, "Dimension specified as 0 but tensor has no dimensions");
  WT_CHECK(no_batch_dim || self.size(0) == target.size(0), "size mismatch (got input: ", self.sizes(),
           ", target: ", target.sizes(), ")");
  const int64_t n_classes = self.size(-1 + self.dim());
  WT_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == n_classes),
           "weight tensor should be defined either for all ", n_classes,
           " classes or no classes but got weight tensor of shape: ", weight.defined() ? weight.sizes() : IntArrayRef());
  DimVector out_sizes;
  if (self.dim() == 2) out_sizes.push_back(self.size(0));
  return nll_forward("NllLossBackward0", self, target, weight, reduction, ignore_index, out_sizes);
}

Tensor nll_loss2d(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                  int64_t ignore_index) {
  WT_CHECK(target.dim() == 3, "only batches of spatial targets supported (3D tensors) but got targets of dimension: ",
           target.dim());
  WT_CHECK(self.dim() == 4, "only batches of spatial inputs supported (4D tensors), but got input of dimension: ",
           self.dim());
  WT_CHECK(!weight.defined() || weight.numel() == self.size(1),
           "weight tensor should be defined either for all or no classes");
  WT_CHECK(self.size(0) == target.size(0) && self.size(2) == target.size(1) && self.size(3) == target.size(2),
           "size mismatch (got input: ", self.sizes(), " , target: ", target.sizes());
  return nll_forward("NllLoss2DBackward0", self, target, weight, reduction, ignore_index, target.sizes());
}

Tensor nll_loss_nd(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                   int64_t ignore_index) {
  WT_CHECK(self.dim() >= 1, "Expected 1 or more dimensions (got ", self.dim(), ")");
  WT_CHECK(self.dim() == 1 || target.dim() == 0 || self.size(0) == target.size(0), "Expected input batch_size (",
           self.size(0), ") to match target batch_size (", target.size(0), ").");
  if (self.dim() <= 2) return nll_loss(self, target, weight, reduction, ignore_index);
  if (self.dim() == 4) return nll_loss2d(self, target, weight, reduction, ignore_index);
  // 3-D or more than 4-D: fold the spatial dims into one, as PyTorch does.
  const int64_t n = self.size(0), c = self.size(1);
  DimVector out_size;
  out_size.push_back(n);
  for (int64_t d = 2; d < self.dim(); ++d) out_size.push_back(self.size(d));
  const IntArrayRef spatial(self.sizes().data() + 2, size_t(self.dim() - 2));
  const IntArrayRef tspatial(target.dim() > 0 ? target.sizes().data() + 1 : nullptr,
                             size_t(std::max<int64_t>(target.dim() - 1, 0)));
  WT_CHECK(target.dim() >= 1 && tspatial.equals(spatial), "Expected target size ", IntArrayRef(out_size), ", got ",
           target.sizes());
  const Tensor x = contiguous(self);
  const Tensor t = contiguous(target);
  const Tensor x4 = x.numel() > 0 ? view(x, {n, c, 1, -1}) : view(x, {n, c, 0, 0});
  const Tensor t3 = t.numel() > 0 ? view(t, {n, 1, -1}) : view(t, {n, 0, 0});
  if (reduction != Reduction::None) return nll_loss2d(x4, t3, weight, reduction, ignore_index);
  return view(nll_loss2d(x4, t3, weight, reduction, ignore_index), out_size);
}

}  // namespace webtorch
