// cross_entropy, composed exactly as PyTorch 1.13's at::cross_entropy_loss composes it so
// that values, gradients and the result's grad_fn match:
//   class indices:            nll_loss_nd(log_softmax(input, class_dim), ...)
//   with label smoothing:     (1 - ls) * nll + ls / C * smooth_loss   (AddBackward0)
//   class probabilities:      -(log_softmax(input) * target [* weight]).sum(...) [/ N]
// (NllLossBackward0 / NllLoss2DBackward0 / ViewBackward0, AddBackward0, DivBackward1 /
// NegBackward0). Class-index targets are int32.

#include <cmath>

#include "core/dispatch_below_autograd.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"
#include "autograd/ops/backward_ops.h"

namespace webtorch {

namespace {

// weight viewed as [1, C, 1, ...] to broadcast along class_dim of an ndim-dim input.
Tensor weight_for(const Tensor& weight, int64_t ndim, int64_t class_dim) {
  if (ndim <= 1) return weight;
  DimVector shape(size_t(ndim), 1);
  shape[size_t(class_dim)] = weight.size(0);
  return view(weight, shape);
}

Tensor prob_target(const Tensor& self, const Tensor& target_, const Tensor& weight, Reduction reduction, double ls) {
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  const int64_t n_classes = self.size(class_dim);
  WT_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == n_classes),
           "cross_entropy: weight tensor should be defined either for all ", n_classes,
           " classes or no classes but got weight tensor of shape: ", weight.defined() ? weight.sizes() : IntArrayRef());
  const Tensor input = log_softmax(self, class_dim);
  Tensor target = target_;
  if (ls > 0.0) {
    WT_CHECK(ls <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: ", ls);
    target = add(mul(target_, Scalar(1 - ls)), Scalar(ls / double(n_classes)));
  }
  Tensor prod = mul(input, target);
  if (weight.defined()) prod = mul(prod, weight_for(weight, input.dim(), class_dim));
  switch (reduction) {
    case Reduction::Mean:
      if (input.numel() == 0) {
        Tensor out = neg(sum(prod));
        fill_(out, Scalar(NAN));
        return out;
      }
      return div_by_number(neg(sum(prod)), double(input.numel() / n_classes));
    case Reduction::Sum:
      return neg(sum(prod));
    case Reduction::None:
    default:
      return neg(sum(prod, {class_dim}));
  }
}

Tensor label_smoothing_loss(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                            int64_t ignore_index, double ls) {
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  const Tensor input = log_softmax(self, class_dim);
  const Tensor nll = nll_loss_nd(input, target, weight, reduction, ignore_index);
  const int64_t n_classes = input.size(class_dim);
  Tensor smooth = weight.defined() ? neg(sum(mul(input, weight_for(weight, input.dim(), class_dim)), {class_dim}))
                                   : neg(sum(input, {class_dim}));
  const Tensor ignore_mask = eq(target, Scalar(ignore_index));
  smooth = where(ignore_mask, Scalar(0.0), smooth);  // smooth_loss.masked_fill_(ignore_mask, 0.0)
  Tensor ret;
  switch (reduction) {
    case Reduction::Mean: {
      // The sum of the weights of the targets that count (their number without weights),
      // as nll_loss normalises.
      const Tensor t = contiguous_clone(target);
      const Tensor w = weight.defined() ? contiguous_clone(weight) : Tensor();
      double total = 0;
      for (int64_t i = 0; i < t.numel(); ++i) {
        const int32_t c = t.data<int32_t>()[i];
        if (c == ignore_index) continue;
        total += w.defined() ? double(w.data<float>()[c]) : 1.0;
      }
      ret = div_by_number(sum(smooth), total);
      break;
    }
    case Reduction::Sum:
      ret = sum(smooth);
      break;
    case Reduction::None:
    default:
      ret = smooth;
  }
  return add(mul(nll, Scalar(1 - ls)), mul(ret, Scalar(ls / double(n_classes))));
}

}  // namespace

Tensor cross_entropy(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                     int64_t ignore_index, double label_smoothing) {
  if (self.sizes().equals(target.sizes())) {
    // Same shapes: the target holds class probabilities.
    WT_CHECK(is_floating(target.dtype()), "Expected floating point type for target with class probabilities, got ",
             torch_name(target.dtype()));
    WT_CHECK(ignore_index < 0, "ignore_index is not supported for floating point target");
    return prob_target(self, target, weight, reduction, label_smoothing);
  }
  if (label_smoothing > 0.0) {
    WT_CHECK(label_smoothing <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
    return label_smoothing_loss(self, target, weight, reduction, ignore_index, label_smoothing);
  }
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  return nll_loss_nd(log_softmax(self, class_dim), target, weight, reduction, ignore_index);
}

}  // namespace webtorch
