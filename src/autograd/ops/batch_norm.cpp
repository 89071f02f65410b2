// batch_norm and NativeBatchNormBackward0. The first-order gradients come from the fused
// kernel (ops/batch_norm.cpp); under create_graph they are composed of recorded ops instead
// (Note [Batch norm's double backward]). The values are in ops/batch_norm.cpp.

#include "autograd/ops/cnn_ops.h"
#include "autograd/recording.h"
#include "autograd/view_tracking.h"
#include "ops/batch_norm.h"

namespace webtorch {

namespace {

// Note [Batch norm's double backward]
// torch 1.13 differentiates native_batch_norm_backward with its own node
// (NativeBatchNormBackwardBackward0, batchnorm_double_backward). webtorch writes the same
// gradient with recorded ops when a gradient graph is being built, recomputing the batch's
// statistics from the input so that they are differentiated too (per channel c, means and
// sums over all dims but 1):
//   xhat = (x - mean_c) * invstd_c
//   training: grad_input = (invstd_c * w_c) * (g - mean(g) - xhat * mean(g * xhat))
//   eval:     grad_input = (invstd_c * w_c) * g  (running statistics are constants)
//   grad_weight = sum(g * xhat), grad_bias = sum(g)
// Per-channel values stay [C] until a view broadcasts them, so the weight's own gradient comes
// from a MulBackward0 (a fresh tensor, as torch's), not from a view. Each gradient is then
// handed out behind a node named as torch names it, whose backward passes its gradient on to
// the recorded graph: grad_fn names, values and second derivatives are torch's.
struct NativeBatchNormBackwardBackward0 : Node {
  std::string name() const override { return "NativeBatchNormBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override { return {grads[0]}; }
};

Tensor named_as_torch(const Tensor& t) {
  if (!t.defined()) return t;
  auto node = autograd::make_node<NativeBatchNormBackwardBackward0>({&t});
  if (!node) return t;
  Tensor out = contiguous_clone(t);
  autograd::set_history(out, node);
  return out;
}

struct Composite {
  DimVector dims, channel_shape;
  explicit Composite(int64_t ndim, int64_t channels) : channel_shape(size_t(ndim), 1) {
    dims.push_back(0);
    for (int64_t d = 2; d < ndim; ++d) dims.push_back(d);
    channel_shape[1] = channels;
  }
  Tensor per_channel(const Tensor& v) const { return view(v, channel_shape); }
  Tensor channel_mean(const Tensor& t) const { return mean(t, dims, false); }
};

std::array<Tensor, 3> recorded_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                        const Tensor& running_mean, const Tensor& running_var, bool training,
                                        double eps, std::array<bool, 3> mask) {
  const Composite c(x.dim(), x.size(1));
  const Tensor mean_c = training ? c.channel_mean(x) : running_mean;
  const Tensor xc = sub(x, c.per_channel(mean_c));
  const Tensor var_c = training ? c.channel_mean(mul(xc, xc)) : running_var;
  const Tensor invstd_c = pow(add(var_c, Scalar(eps)), Scalar(-0.5));
  const Tensor xhat = mul(xc, c.per_channel(invstd_c));
  std::array<Tensor, 3> out;
  if (mask[0]) {
    const Tensor scale = c.per_channel(weight.defined() ? mul(invstd_c, weight) : invstd_c);
    const Tensor centred =
        training ? sub(sub(g, c.per_channel(c.channel_mean(g))), mul(xhat, c.per_channel(c.channel_mean(mul(g, xhat)))))
                 : g;
    out[0] = named_as_torch(mul(centred, scale));
  }
  if (mask[1]) out[1] = named_as_torch(sum(mul(g, xhat), c.dims, false));
  if (mask[2]) out[2] = named_as_torch(sum(g, c.dims, false));
  return out;
}

struct NativeBatchNormBackward0 : Node {
  std::string name() const override { return "NativeBatchNormBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor input = input_.unpack(this), weight = weight_.unpack(this);
    const Tensor running_mean = running_mean_.unpack(this), running_var = running_var_.unpack(this);
    const std::array<bool, 3> mask = {should_compute_output(0), should_compute_output(1), should_compute_output(2)};
    const bool build_graph = autograd::autograd_active() &&
                             (grads[0].requires_grad() || input.requires_grad() ||
                              (weight.defined() && weight.requires_grad()));
    const std::array<Tensor, 3> out =
        build_graph ? recorded_backward(grads[0], input, weight, running_mean, running_var, training_, eps_, mask)
                    : native::batch_norm_backward(grads[0], input, weight, running_mean, running_var, save_mean_,
                                                  save_invstd_, training_, eps_, mask);
    return {out[0], out[1], out[2]};
  }
  void release_variables() override {
    input_.reset_data();
    weight_.reset_data();
    running_mean_.reset_data();
    running_var_.reset_data();
    save_mean_ = Tensor();
    save_invstd_ = Tensor();
  }
  SavedVariable input_, weight_, running_mean_, running_var_;  // the running statistics in evaluation only
  Tensor save_mean_, save_invstd_;                             // the batch's, in training only
  bool training_ = true;
  double eps_ = 1e-5;
};

}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  auto node = autograd::make_node<NativeBatchNormBackward0>({&input, &weight, &bias});
  if (node) {
    node->input_ = SavedVariable(input, false);
    node->weight_ = SavedVariable(weight, false);
    if (!training) {
      node->running_mean_ = SavedVariable(running_mean, false);
      node->running_var_ = SavedVariable(running_var, false);
    }
    node->training_ = training;
    node->eps_ = eps;
  }
  native::check_batch_norm(input, weight, bias, running_mean, running_var, training);
  native::BatchNormForward r =
      native::batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps);
  if (node) {
    node->save_mean_ = r.save_mean;
    node->save_invstd_ = r.save_invstd;
    autograd::set_history(r.output, node);
  }
  return r.output;
}

}  // namespace webtorch
