// _softmax_backward_data / _log_softmax_backward_data (grad_output, output) and their nodes
// SoftmaxBackwardDataBackward0 / LogSoftmaxBackwardDataBackward0, with torch 1.13's formulas:
//   softmax:     grad_output gets softmax_backward_data(grad, output); output gets
//                grad_output * grad - sum(output * grad_output) * grad - grad_output * sum(output * grad)
//   log_softmax: grad_output gets grad - sum(grad * exp(output)); output gets
//                -sum(grad_output) * exp(output) * grad
// (sums along dim, keepdim).

#include "kernels/reduce.h"
#include "autograd/ops/fused_backward_op.h"

namespace webtorch {

namespace {
// A 0-dim tensor is handled as a 1-element row.
Tensor rows(const Tensor& t) { return t.dim() == 0 ? alias_with_geometry(t, {1}, {1}, t.storage_offset()) : t; }

struct SoftmaxBackwardDataNode : FusedBackwardNode {
  explicit SoftmaxBackwardDataNode(bool log) : log_(log) {}
  std::string name() const override {
    return log_ ? "LogSoftmaxBackwardDataBackward0" : "SoftmaxBackwardDataBackward0";
  }
  variable_list apply(variable_list&& grads) override {
    const Tensor grad_output = grad_output_.unpack(this), output = saved_.unpack(this);
    const Tensor& g = grads[0];
    const int64_t d[1] = {dim_};
    auto sum_dim = [&](const Tensor& t) { return sum(t, IntArrayRef(d, 1), true); };
    variable_list out(2);
    if (log_) {
      if (should_compute_output(0)) out[0] = sub(g, sum_dim(mul(g, exp(output))));
      if (should_compute_output(1)) out[1] = mul(mul(neg(sum_dim(grad_output)), exp(output)), g);
    } else {
      if (should_compute_output(0)) out[0] = softmax_backward_data(g, output, dim_, false);
      if (should_compute_output(1))
        out[1] = sub(sub(mul(grad_output, g), mul(sum_dim(mul(output, grad_output)), g)),
                     mul(grad_output, sum_dim(mul(output, g))));
    }
    return out;
  }
  int64_t dim_ = 0;
  bool log_;
};
}  // namespace

Tensor softmax_backward_data(const Tensor& grad_output, const Tensor& output, int64_t dim, bool log) {
  auto node = autograd::make_node<SoftmaxBackwardDataNode>({&grad_output, &output}, log);
  if (node) {
    node->grad_output_ = SavedVariable(grad_output, false);
    node->saved_ = SavedVariable(output, false);
    node->dim_ = dim;
  }
  Tensor grad_in = empty(output.sizes(), output.dtype());
  kernels::softmax_backward(rows(grad_in), rows(cast_to(grad_output, output.dtype())), rows(output), dim, log);
  if (node) autograd::set_history(grad_in, node);
  return grad_in;
}

}  // namespace webtorch
