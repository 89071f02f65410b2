// adaptive_avg_pool2d: for output (1, 1) a mean over the last two dims (MeanBackward1), as
// torch 1.13's adaptive_avg_pool2d; else _adaptive_avg_pool2d with AdaptiveAvgPool2DBackward0,
// whose backward op has AdaptiveAvgPool2DBackwardBackward0 (grad_output: the pooling of the
// gradient; self: zeros). The values are in ops/pooling.cpp.

#include "autograd/ops/cnn_ops.h"
#include "autograd/recording.h"
#include "ops/pooling.h"

namespace webtorch {

namespace {

Tensor adaptive_pool(const Tensor& input, int64_t oh, int64_t ow);

struct AdaptiveAvgPool2DBackwardBackward0 : Node {
  std::string name() const override { return "AdaptiveAvgPool2DBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(2);
    if (should_compute_output(0)) out[0] = adaptive_pool(grads[0], oh_, ow_);
    if (should_compute_output(1)) out[1] = zeros(self_sizes_);
    return out;
  }
  int64_t oh_ = 0, ow_ = 0;
  DimVector self_sizes_;
};

Tensor adaptive_pool_backward(const Tensor& grad_output, const Tensor& self) {
  auto node = autograd::make_node<AdaptiveAvgPool2DBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->oh_ = grad_output.size(grad_output.dim() - 2);
    node->ow_ = grad_output.size(grad_output.dim() - 1);
    node->self_sizes_.assign(self.sizes());
  }
  Tensor gi = native::adaptive_avg_pool2d_backward(grad_output, self.sizes());
  if (node) autograd::set_history(gi, node);
  return gi;
}

struct AdaptiveAvgPool2DBackward0 : Node {
  std::string name() const override { return "AdaptiveAvgPool2DBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {adaptive_pool_backward(grads[0], self_.unpack(this))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};

Tensor adaptive_pool(const Tensor& input, int64_t oh, int64_t ow) {
  auto node = autograd::make_node<AdaptiveAvgPool2DBackward0>({&input});
  if (node) node->self_ = SavedVariable(input, false);
  Tensor out = native::adaptive_avg_pool2d(input, oh, ow);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& input, IntArrayRef output_size) {
  native::check_adaptive_output_size(output_size);
  if (output_size[0] == 1 && output_size[1] == 1) {
    const int64_t dims[2] = {-1, -2};
    return mean(input, IntArrayRef(dims, 2), true);
  }
  autograd::collect_next_edges_first({&input});  // the autograd layer's errors first
  if (autograd::compute_requires_grad({&input})) SavedVariable::check_savable(input);
  native::check_adaptive_avg_pool2d(input);
  return adaptive_pool(input, output_size[0], output_size[1]);
}

}  // namespace webtorch
