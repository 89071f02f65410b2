// avg_pool2d and AvgPool2DBackward0; its backward op avg_pool2d_backward with
// AvgPool2DBackwardBackward0 (torch 1.13's derivatives.yaml: grad_output gets avg_pool2d of the
// gradient, self zeros). The values are in ops/pooling.cpp.

#include "autograd/ops/cnn_ops.h"
#include "autograd/recording.h"
#include "ops/pooling.h"

namespace webtorch {

namespace {

Tensor avg_pool2d_checked(const Tensor& input, const native::Pool2dGeometry& g, const native::AvgPoolOptions& o);

struct AvgPool2DBackwardBackward0 : Node {
  std::string name() const override { return "AvgPool2DBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(2);
    if (should_compute_output(0)) out[0] = avg_pool2d_checked(grads[0], g_, o_);
    if (should_compute_output(1)) out[1] = zeros(g_in_sizes_);
    return out;
  }
  native::Pool2dGeometry g_;
  native::AvgPoolOptions o_;
  DimVector g_in_sizes_;
};

// grad_output spread over the windows; self is an edge of the node (its gradient zero).
Tensor avg_pool2d_backward(const Tensor& grad_output, const Tensor& self, const native::Pool2dGeometry& g,
                           const native::AvgPoolOptions& o) {
  auto node = autograd::make_node<AvgPool2DBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->g_ = g;
    node->o_ = o;
    node->g_in_sizes_.assign(self.sizes());
  }
  Tensor gi = native::avg_pool2d_backward(grad_output, self.sizes(), g, o);
  if (node) autograd::set_history(gi, node);
  return gi;
}

struct AvgPool2DBackward0 : Node {
  std::string name() const override { return "AvgPool2DBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {avg_pool2d_backward(grads[0], self_.unpack(this), g_, o_)};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  native::Pool2dGeometry g_;
  native::AvgPoolOptions o_;
};

// The pooling of an input whose geometry is known (checked by the op or the same as the
// forward's: a gradient of the input's shape).
Tensor avg_pool2d_checked(const Tensor& input, const native::Pool2dGeometry& g, const native::AvgPoolOptions& o) {
  auto node = autograd::make_node<AvgPool2DBackward0>({&input});
  if (node) {
    node->self_ = SavedVariable(input, false);
    node->g_ = g;
    node->o_ = o;
  }
  Tensor out = native::avg_pool2d(input, g, o);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace

Tensor avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  autograd::collect_next_edges_first({&input});  // the autograd layer's errors first
  if (autograd::compute_requires_grad({&input})) SavedVariable::check_savable(input);
  const native::Pool2dGeometry g =
      native::check_avg_pool2d(input, kernel_size, stride, padding, ceil_mode, divisor_override);
  return avg_pool2d_checked(input, g, {count_include_pad, divisor_override});
}

}  // namespace webtorch
