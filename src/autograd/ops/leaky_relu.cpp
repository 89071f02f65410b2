// leaky_relu, leaky_relu_, their nodes LeakyReluBackward0 (saves self) and LeakyReluBackward1
// (the in-place form, saves the result), and leaky_relu_backward with its own node
// LeakyReluBackwardBackward0 (torch 1.13: grad_output gets leaky_relu_backward(grad, self),
// self a zero gradient), so that self stays in the graph of a gradient made with createGraph.
// Values: self > 0 ? self : self * negative_slope, float32 only (torch's "leaky_relu_cpu").

#include "autograd/recording.h"
#include "core/dispatch_below_autograd.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

void check_leaky_relu(const Tensor& self) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"leaky_relu_cpu\" not implemented for '", torch_name(self.dtype()),
           "'");
}

// The value, recording nothing.
Tensor leaky_relu_value(const Tensor& self, double slope) {
  AutoDispatchBelowADInplaceOrView below;
  return where(gt(self, Scalar(0)), self, mul(self, Scalar(slope)));
}

Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& self, double slope, bool self_is_result);

struct LeakyReluBackwardBackward0 : Node {
  std::string name() const override { return "LeakyReluBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(2);
    if (should_compute_output(0)) out[0] = leaky_relu_backward(grads[0], self_.unpack(this), slope_, false);
    if (should_compute_output(1)) out[1] = zeros_like(grads[0]);
    return out;
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  double slope_ = 0;
};

Tensor leaky_relu_backward(const Tensor& grad_output, const Tensor& self, double slope, bool self_is_result) {
  WT_CHECK(!self_is_result || slope >= 0,
           "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is "
           "caused by calling in-place forward function with a negative slope, please call out-of-place version "
           "instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place "
           "leakRelu backward calculation with negative slope");
  auto node = autograd::make_node<LeakyReluBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->slope_ = slope;
  }
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView below;
    out = where(gt(self, Scalar(0)), grad_output, mul(grad_output, Scalar(slope)));
  }
  if (node) autograd::set_history(out, node);
  return out;
}

template <bool kResult>
struct LeakyReluBackward : Node {
  std::string name() const override { return kResult ? "LeakyReluBackward1" : "LeakyReluBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {leaky_relu_backward(grads[0], saved_.unpack(this), slope_, kResult)};
  }
  void release_variables() override { saved_.reset_data(); }
  SavedVariable saved_;  // self, or the in-place form's result
  double slope_ = 0;
};

}  // namespace

Tensor leaky_relu(const Tensor& self, double negative_slope) {
  check_leaky_relu(self);
  auto node = autograd::make_node<LeakyReluBackward<false>>({&self});
  if (node) {
    node->saved_ = SavedVariable(self, false);
    node->slope_ = negative_slope;
  }
  Tensor out = leaky_relu_value(self, negative_slope);
  if (node) autograd::set_history(out, node);
  return out;
}

const Tensor& leaky_relu_(const Tensor& self, double negative_slope) {
  const bool rg = autograd::compute_requires_grad({&self});
  std::shared_ptr<LeakyReluBackward<true>> node;
  run_inplace(
      self, rg,
      [&] {
        node = autograd::make_node<LeakyReluBackward<true>>({&self});
        return node;
      },
      [&] {
        check_leaky_relu(self);
        check_no_internal_overlap(self);
      },
      [&] {
        const Tensor value = leaky_relu_value(self, negative_slope);
        AutoDispatchBelowADInplaceOrView below;
        copy_(self, value);
      });
  if (node) {
    node->saved_ = SavedVariable(self, true, autograd::is_view(self));
    node->slope_ = negative_slope;
  }
  return self;
}

}  // namespace webtorch
