// nll_loss (NllLossBackward0), nll_loss2d (NllLoss2DBackward0) and nll_loss_nd, as PyTorch
// 1.13 computes and checks them. Class indices are int32 tensors: webtorch's index dtype
// plays the part of PyTorch's int64 here.
//
// The checks that need the data and the values are computed by ops/nll_loss.cpp.

#include "autograd/ops/nll_loss_backward.h"
#include "core/dispatch_below_autograd.h"
#include "ops/nll_loss.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct NllLossBackward : Node {
  explicit NllLossBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override {
    NllLossArgs args;
    args.target = target_.unpack(this);
    args.weight = weight_.defined() ? weight_.unpack(this) : Tensor();
    args.self_sizes = self_sizes_;
    args.reduction = reduction_;
    args.ignore_index = ignore_index_;
    args.total_weight = total_weight_;
    args.is_2d = std::string(name_) == "NllLoss2DBackward0";
    const Tensor gi = nll_loss_backward(grads[0], next_edges()[0], args);
    return {gi, Tensor()};  // no gradient for the class weights (PyTorch has none either)
  }
  void release_variables() override {
    target_.reset_data();
    weight_.reset_data();
  }
  const char* name_;
  SavedVariable target_, weight_;  // contiguous copies
  DimVector self_sizes_;
  Reduction reduction_ = Reduction::Mean;
  int64_t ignore_index_ = -100;
  double total_weight_ = 0;
};

// PyTorch's autograd layer, before nll_loss's checks (Note [The autograd layer checks before
// the kernel]): reads self's and weight's grad_fn and saves target and weight, which refuses
// inference tensors (webtorch saves copies, taken later).
void record_first(const Tensor& self, const Tensor& target, const Tensor& weight) {
  if (!autograd::compute_requires_grad({&self, &weight})) return;
  (void)autograd::collect_next_edges({&self, &weight});
  SavedVariable::check_savable(target);
  SavedVariable::check_savable(weight);
}

// The shared forward once the shapes are checked; out_sizes is the shape of the unreduced loss.
Tensor nll_forward(const char* node_name, const Tensor& self, const Tensor& target, const Tensor& weight,
                   Reduction reduction, int64_t ignore_index, IntArrayRef out_sizes) {
  native::check_nll_loss(self, target, weight, ignore_index);
  auto node = autograd::make_node<NllLossBackward>({&self, &weight}, node_name);
  if (node) {
    // target and weight are saved as copies: PyTorch saves the tensors themselves, but they
    // never require grad, and a copy keeps a later in-place change of them harmless.
    node->target_ = SavedVariable(contiguous_clone(target), false);
    if (weight.defined()) node->weight_ = SavedVariable(contiguous_clone(weight), false);
    node->self_sizes_.assign(self.sizes());
    node->reduction_ = reduction;
    node->ignore_index_ = ignore_index;
  }
  const auto [out, total_weight] = native::nll_loss_forward(self, target, weight, reduction, ignore_index, out_sizes);
  if (node) {
    node->total_weight_ = total_weight;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace

Tensor nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                int64_t ignore_index) {
  record_first(self, target, weight);
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
  record_first(self, target, weight);
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
