// max_pool2d_with_indices and MaxPool2DWithIndicesBackward0; its backward op
// max_pool2d_with_indices_backward (grad_output scattered to the maxima) with
// MaxPool2DWithIndicesBackwardBackward0, whose gradient for grad_output is torch's
// max_pool_double_backward: the gradient read back at the indices (a gather, GatherBackward0,
// whose own gradient is the scatter again). The values are in ops/pooling.cpp.

#include "autograd/ops/cnn_ops.h"
#include "autograd/recording.h"
#include "ops/pooling.h"

namespace webtorch {

namespace {

Tensor scatter_to_input(const Tensor& grad_output, const Tensor& self, const Tensor& indices, IntArrayRef input_sizes);

// The gradient of scatter_to_input for grad_output: grad read at the indices.
struct GatherBackward0 : Node {
  std::string name() const override { return "GatherBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {scatter_to_input(grads[0], Tensor(), indices_, input_sizes_)};
  }
  Tensor indices_;  // int32, never requires grad
  DimVector input_sizes_;
};

Tensor gather_at(const Tensor& grad, const Tensor& indices) {
  auto node = autograd::make_node<GatherBackward0>({&grad});
  if (node) {
    node->indices_ = indices;
    node->input_sizes_.assign(grad.sizes());
  }
  Tensor out = native::max_pool2d_gather(grad, indices);
  if (node) autograd::set_history(out, node);
  // torch's max_pool_double_backward ends in view_as(indices): the result is a view.
  return view(out, indices.sizes());
}

struct MaxPool2DWithIndicesBackwardBackward0 : Node {
  std::string name() const override { return "MaxPool2DWithIndicesBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    variable_list out(2);
    if (should_compute_output(0)) out[0] = gather_at(grads[0], indices_);
    if (should_compute_output(1)) out[1] = zeros(self_sizes_);
    return out;
  }
  Tensor indices_;
  DimVector self_sizes_;
};

// self (when defined) is the pooled input: an edge of the node, its gradient zero.
Tensor scatter_to_input(const Tensor& grad_output, const Tensor& self, const Tensor& indices, IntArrayRef input_sizes) {
  auto node = autograd::make_node<MaxPool2DWithIndicesBackwardBackward0>({&grad_output, &self});
  if (node) {
    node->indices_ = indices;
    node->self_sizes_.assign(input_sizes);
  }
  Tensor gi = native::max_pool2d_backward(grad_output, indices, input_sizes);
  if (node) autograd::set_history(gi, node);
  return gi;
}

struct MaxPool2DWithIndicesBackward0 : Node {
  std::string name() const override { return "MaxPool2DWithIndicesBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {max_pool2d_with_indices_backward(grads[0], self_.unpack(this), indices_)};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  Tensor indices_;
};

}  // namespace

Tensor max_pool2d_with_indices_backward(const Tensor& grad_output, const Tensor& self, const Tensor& indices) {
  return scatter_to_input(grad_output, self, indices, self.sizes());
}

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  auto node = autograd::make_node<MaxPool2DWithIndicesBackward0>({&input});
  if (node) node->self_ = SavedVariable(input, false);
  const native::Pool2dGeometry g = native::check_max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);
  auto [out, indices] = native::max_pool2d(input, g);
  if (node) {
    node->indices_ = indices;
    autograd::set_history(out, node);
  }
  return {out, indices};
}

}  // namespace webtorch
