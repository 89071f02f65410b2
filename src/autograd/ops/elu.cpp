// elu (alpha; torch's scale and input_scale are 1), EluBackward0 (saves self) and elu_backward
// with its own node EluBackwardBackward0 (torch 1.13: grad_output gets elu_backward(grad),
// self gets elu_backward(grad * grad_output) * (self < 0)). Values as torch's CPU
// kernel: self <= 0 ? (exp(self) - 1) * alpha : self; float32 only (torch's "elu_cpu").

#include "autograd/recording.h"
#include "core/dispatch_below_autograd.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

Tensor elu_backward(const Tensor& grad_output, const Tensor& self, double alpha);

struct EluBackwardBackward0 : Node {
  std::string name() const override { return "EluBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0)) out[0] = elu_backward(grads[0], self, alpha_);
    if (should_compute_output(1))
      out[1] = where(lt(self, Scalar(0)), mul(mul(mul(grads[0], grad_output_.unpack(this)), Scalar(alpha_)), exp(self)),
                     Scalar(0.0));
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    grad_output_.reset_data();
  }
  SavedVariable self_, grad_output_;
  double alpha_ = 1;
};

Tensor elu_backward(const Tensor& grad_output, const Tensor& self, double alpha) {
  auto node = autograd::make_node<EluBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->grad_output_ = SavedVariable(grad_output, false);
    node->alpha_ = alpha;
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView below;
    out = where(le(self, Scalar(0)), mul(mul(grad_output, Scalar(alpha)), exp(self)), grad_output);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

struct EluBackward0 : Node {
  std::string name() const override { return "EluBackward0"; }
  variable_list apply(variable_list&& grads) override { return {elu_backward(grads[0], self_.unpack(this), alpha_)}; }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  double alpha_ = 1;
};

}  // namespace

Tensor elu(const Tensor& self, double alpha) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"elu_cpu\" not implemented for '", torch_name(self.dtype()), "'");
  auto node = autograd::make_node<EluBackward0>({&self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->alpha_ = alpha;
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView below;
    out = where(le(self, Scalar(0)), mul(sub(exp(self), Scalar(1)), Scalar(alpha)), self);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
