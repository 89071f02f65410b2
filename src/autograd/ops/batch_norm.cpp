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
// statistics from the input so that they are differentiated too:
//   xhat = (x - mean) * invstd,  gxhat = g * weight
//   training: grad_input = invstd * (gxhat - mean(gxhat) - xhat * mean(gxhat * xhat))
//   eval:     grad_input = gxhat * invstd  (running statistics are constants)
//   grad_weight = sum(g * xhat), grad_bias = sum(g)  (means and sums over all dims but 1)
// The values are torch's; the grad_fn names of the first gradients differ (README,
// "Differences from PyTorch").
struct Composite {
  DimVector dims, channel_shape;
  explicit Composite(int64_t ndim, int64_t channels) : channel_shape(size_t(ndim), 1) {
    dims.push_back(0);
    for (int64_t d = 2; d < ndim; ++d) dims.push_back(d);
    channel_shape[1] = channels;
  }
  Tensor per_channel(const Tensor& v) const { return view(v, channel_shape); }
};

std::array<Tensor, 3> recorded_backward(const Tensor& g, const Tensor& x, const Tensor& weight,
                                        const Tensor& running_mean, const Tensor& running_var, bool training,
                                        double eps, std::array<bool, 3> mask) {
  const Composite c(x.dim(), x.size(1));
  Tensor xc, invstd;
  if (training) {
    xc = sub(x, mean(x, c.dims, true));
    invstd = pow(add(mean(mul(xc, xc), c.dims, true), Scalar(eps)), Scalar(-0.5));
  } else {
    xc = sub(x, c.per_channel(running_mean));
    invstd = c.per_channel(pow(add(running_var, Scalar(eps)), Scalar(-0.5)));
  }
  const Tensor xhat = mul(xc, invstd);
  std::array<Tensor, 3> out;
  if (mask[0]) {
    const Tensor gxhat = weight.defined() ? mul(g, c.per_channel(weight)) : g;
    out[0] = training ? mul(sub(sub(gxhat, mean(gxhat, c.dims, true)), mul(xhat, mean(mul(gxhat, xhat), c.dims, true))),
                            invstd)
                      : mul(gxhat, invstd);
  }
  if (mask[1]) out[1] = sum(mul(g, xhat), c.dims, false);
  if (mask[2]) out[2] = sum(g, c.dims, false);
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
