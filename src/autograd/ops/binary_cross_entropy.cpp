// binary_cross_entropy (BinaryCrossEntropyBackward0) and binary_cross_entropy_with_logits
// (BinaryCrossEntropyWithLogitsBackward0): the values and gradients of torch 1.13's CPU
// formulas (Loss.cpp, FunctionsManual.cpp), each written with recordable ops so that a
// gradient made with createGraph can be differentiated again. The optional weight and
// pos_weight broadcast against the loss and are not differentiable (torch's text).

#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"
#include "core/dispatch_below_autograd.h"
#include "ops/op_utils.h"

namespace webtorch {

Tensor log1p(const Tensor& self);  // an op table entry (its declaration is generated)

namespace {

void check_not_differentiable(const Tensor& t, const char* arg, const char* fn) {
  WT_CHECK(!t.defined() || !t.requires_grad(), "The function '", fn, "' is not differentiable with respect to argument '",
           arg, "'. This input cannot have requires_grad True.");
}

Tensor reduce_loss(const Tensor& loss, Reduction reduction) {
  if (reduction == Reduction::Mean) return mean(loss);
  if (reduction == Reduction::Sum) return sum(loss);
  return loss;
}

// A gradient of the elementwise loss: times the weight, over numel for the mean (torch's
// grad_input.mul_(weight), grad_input.div_(numel)).
Tensor finish_grad(Tensor g, const Tensor& weight, Reduction reduction, int64_t numel) {
  if (weight.defined()) g = mul(g, weight);
  if (reduction == Reduction::Mean) g = div_by_number(g, double(numel));
  return g;
}

Tensor one_minus(const Tensor& x) { return neg(sub(x, Scalar(1))); }

// torch's log_sigmoid: min(v, 0) - log1p(exp(-|v|)).
Tensor log_sigmoid(const Tensor& v) { return sub(clamp(v, std::nullopt, Scalar(0)), log1p(exp(neg(abs(v))))); }

struct BinaryCrossEntropyBackward0 : Node {
  std::string name() const override { return "BinaryCrossEntropyBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& grad = grads[0];
    const Tensor x = self_.unpack(this), t = target_.unpack(this), w = weight_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) {
      // grad * (x - t) / max((1 - x) * x, 1e-12)
      const Tensor g = div(mul(grad, sub(x, t)), clamp(mul(one_minus(x), x), Scalar(1e-12), std::nullopt));
      out[0] = finish_grad(g, w, reduction_, x.numel());
    }
    if (should_compute_output(1))  // -logit(x) * grad
      out[1] = finish_grad(mul(neg(log(div(x, one_minus(x)))), grad), w, reduction_, t.numel());
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    target_.reset_data();
    weight_.reset_data();
  }
  SavedVariable self_, target_, weight_;
  Reduction reduction_ = Reduction::Mean;
};

struct BinaryCrossEntropyWithLogitsBackward0 : Node {
  std::string name() const override { return "BinaryCrossEntropyWithLogitsBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& grad = grads[0];
    const Tensor x = self_.unpack(this), t = target_.unpack(this), w = weight_.unpack(this);
    const Tensor pw = pos_weight_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) {
      Tensor g;
      if (pw.defined()) {
        const Tensor pt = mul(pw, t);  // (pt + 1 - t) * sigmoid(x) - pt
        g = sub(mul(sub(add(pt, Scalar(1)), t), sigmoid(x)), pt);
      } else {
        g = sub(sigmoid(x), t);
      }
      out[0] = finish_grad(mul(g, grad), w, reduction_, x.numel());
    }
    if (should_compute_output(1)) {
      const Tensor g = pw.defined() ? sub(log_sigmoid(neg(x)), mul(log_sigmoid(x), pw)) : neg(x);
      out[1] = finish_grad(mul(g, grad), w, reduction_, t.numel());
    }
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    target_.reset_data();
    weight_.reset_data();
    pos_weight_.reset_data();
  }
  SavedVariable self_, target_, weight_, pos_weight_;
  Reduction reduction_ = Reduction::Mean;
};

// An input in [0, 1] everywhere (NaN is not).
bool all_probabilities(const Tensor& x) {
  const Tensor c = x.is_contiguous() ? x : contiguous_clone(x);
  const float* d = c.data<float>();
  for (int64_t i = 0; i < c.numel(); ++i)
    if (!(d[i] >= 0.0f && d[i] <= 1.0f)) return false;
  return true;
}

}  // namespace

Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction) {
  // torch.nn.functional's own check, then the op's.
  WT_CHECK(self.sizes().equals(target.sizes()), "Using a target size (torch.Size(", target.sizes(),
           ")) that is different to the input size (torch.Size(", self.sizes(),
           ")) is deprecated. Please ensure they have the same size.");
  const Tensor w = weight.defined() ? expand(weight, shape::broadcast_shapes(target.sizes(), weight.sizes())) : weight;
  check_not_differentiable(w, "weight", "binary_cross_entropy");
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"binary_cross_entropy\" not implemented for '",
           torch_name(self.dtype()), "'");
  WT_CHECK(target.dtype() == ScalarType::Float32, "Found dtype ", torch_name(target.dtype()), " but expected Float");
  WT_CHECK(!w.defined() || w.dtype() == ScalarType::Float32, "Found dtype ", torch_name(w.dtype()), " but expected Float");
  WT_CHECK(all_probabilities(self), "all elements of input should be between 0 and 1");
  auto node = autograd::make_node<BinaryCrossEntropyBackward0>({&self, &target});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->target_ = SavedVariable(target, false);
    if (w.defined()) node->weight_ = SavedVariable(w, false);
    node->reduction_ = reduction;
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView below;
    // (t - 1) * max(log1p(-x), -100) - t * max(log(x), -100)
    const std::optional<Scalar> floor = Scalar(-100), none;
    Tensor loss = sub(mul(sub(target, Scalar(1)), clamp(log1p(neg(self)), floor, none)),
                      mul(target, clamp(log(self), floor, none)));
    if (w.defined()) loss = mul(loss, w);
    out = reduce_loss(loss, reduction);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, Reduction reduction) {
  WT_CHECK(self.sizes().equals(target.sizes()), "Target size (torch.Size(", target.sizes(),
           ")) must be the same as input size (torch.Size(", self.sizes(), "))");
  check_not_differentiable(weight, "weight", "binary_cross_entropy_with_logits");
  check_not_differentiable(pos_weight, "pos_weight", "binary_cross_entropy_with_logits");
  WT_CHECK(self.dtype() == ScalarType::Float32 && target.dtype() == ScalarType::Float32,
           "binary_cross_entropy_with_logits: input and target must be float32 tensors, got ", torch_name(self.dtype()),
           " and ", torch_name(target.dtype()));
  auto node = autograd::make_node<BinaryCrossEntropyWithLogitsBackward0>({&self, &target});
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView below;
    const Tensor max_val = clamp(neg(self), Scalar(0), std::nullopt);
    // log(exp(-max_val) + exp(-x - max_val)): log(1 + exp(-x)) without overflow
    const Tensor log_term = log(add(exp(neg(max_val)), exp(sub(neg(self), max_val))));
    const Tensor linear = mul(one_minus(target), self);
    Tensor loss;
    if (pos_weight.defined()) {
      const Tensor log_weight = add(mul(sub(pos_weight, Scalar(1)), target), Scalar(1));
      loss = add(linear, mul(log_weight, add(log_term, max_val)));
    } else {
      loss = add(add(linear, max_val), log_term);
    }
    if (weight.defined()) loss = mul(loss, weight);
    out = reduce_loss(loss, reduction);
  }
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->target_ = SavedVariable(target, false);
    if (weight.defined()) node->weight_ = SavedVariable(weight, false);
    if (pos_weight.defined()) node->pos_weight_ = SavedVariable(pos_weight, false);
    node->reduction_ = reduction;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
