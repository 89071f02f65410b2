// layer_norm as one op (NativeLayerNormBackward0), computed by the fused row kernels of
// ops/layer_norm.cpp, with PyTorch 1.13's checks (_check_layer_norm_inputs) and texts.
//
// Note [layer_norm's double backward]
// The first-order gradient is the fused kernel. When the backward itself is recorded
// (createGraph), the gradient is instead composed from recordable ops, recomputing the
// moments from the saved input, so that it can be differentiated again: the values are
// PyTorch's (to float rounding) but the gradient's grad_fn is the last op of the composition
// (PyTorch: NativeLayerNormBackwardBackward0). README.md, "Differences from PyTorch".

#include <sstream>

#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"
#include "ops/layer_norm.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

std::string shape_text(IntArrayRef s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << "]";
  return o.str();
}

struct NativeLayerNormBackward0 : Node {
  std::string name() const override { return "NativeLayerNormBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor x = input_.unpack(this);
    const Tensor w = weight_.defined() ? weight_.unpack(this) : Tensor();
    const bool ni = should_compute_output(0), nw = should_compute_output(1) && w.defined(),
               nb = should_compute_output(2) && has_bias_;
    if (GradMode::is_enabled()) return composed(g, x, w, ni, nw, nb);
    const auto r = native::layer_norm_backward(g, x, mean_.unpack(this), rstd_.unpack(this), w, normalized_shape_, M_,
                                               N_, ni, nw, nb);
    return {r.input, r.weight, r.bias};
  }
  // Note [layer_norm's double backward].
  variable_list composed(const Tensor& g, const Tensor& x, const Tensor& w, bool ni, bool nw, bool nb) const {
    DimVector dims;
    for (int64_t d = x.dim() - normalized_ndim_; d < x.dim(); ++d) dims.push_back(d);
    const Tensor xc = sub(x, mean(x, dims, true));
    const Tensor rstd = pow(add(mean(mul(xc, xc), dims, true), Scalar(eps_)), Scalar(-0.5));
    const Tensor xhat = mul(xc, rstd);
    variable_list out(3);
    if (ni) {
      const Tensor gw = w.defined() ? mul(g, w) : g;
      out[0] = mul(rstd, sub(sub(gw, mean(gw, dims, true)), mul(xhat, mean(mul(gw, xhat), dims, true))));
    }
    if (nw) out[1] = sum_to(mul(g, xhat), normalized_shape_);
    if (nb) out[2] = sum_to(g, normalized_shape_);
    return out;
  }
  void release_variables() override {
    input_.reset_data();
    weight_.reset_data();
    mean_.reset_data();
    rstd_.reset_data();
  }
  SavedVariable input_, weight_, mean_, rstd_;
  bool has_bias_ = false;
  DimVector normalized_shape_;
  int64_t M_ = 0, N_ = 0, normalized_ndim_ = 0;
  double eps_ = 1e-5;
};

void check_inputs(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias) {
  const int64_t n = int64_t(normalized_shape.size());
  WT_CHECK(n >= 1,
           "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got "
           "normalized_shape = ",
           shape_text(normalized_shape));
  WT_CHECK(!weight.defined() || weight.sizes().equals(normalized_shape),
           "Expected weight to be of same shape as normalized_shape, but got weight of shape ",
           shape_text(weight.defined() ? weight.sizes() : IntArrayRef()), " and normalized_shape = ",
           shape_text(normalized_shape));
  WT_CHECK(!bias.defined() || bias.sizes().equals(normalized_shape),
           "Expected bias to be of same shape as normalized_shape, but got bias of shape ",
           shape_text(bias.defined() ? bias.sizes() : IntArrayRef()), " and normalized_shape = ",
           shape_text(normalized_shape));
  bool ok = input.dim() >= n;
  for (int64_t i = 0; ok && i < n; ++i) ok = input.size(input.dim() - n + i) == normalized_shape[i];
  WT_CHECK(ok, "Given normalized_shape=", shape_text(normalized_shape), ", expected input with shape [*",
           [&] {
             std::string s;
             for (int64_t v : normalized_shape) s += ", " + std::to_string(v);
             return s;
           }(),
           "], but got input of size", shape_text(input.sizes()));
}

}  // namespace

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<NativeLayerNormBackward0>({&input, &weight, &bias});
  if (node) {
    node->input_ = SavedVariable(input, false);
    if (weight.defined()) node->weight_ = SavedVariable(weight, false);
  }
  check_inputs(input, normalized_shape, weight, bias);
  for (const Tensor* t : {&input, &weight, &bias})
    if (t->defined()) check_dispatch(t->dtype() == ScalarType::Float32, "LayerNormKernelImpl", t->dtype());
  const int64_t nd = int64_t(normalized_shape.size());
  int64_t M = 1, N = 1;
  for (int64_t d = 0; d < input.dim(); ++d) (d < input.dim() - nd ? M : N) *= input.size(d);
  auto r = native::layer_norm_forward(input, weight, bias, M, N, eps);
  if (node) {
    node->mean_ = SavedVariable(r.mean, false);
    node->rstd_ = SavedVariable(r.rstd, false);
    node->has_bias_ = bias.defined();
    node->normalized_shape_.assign(normalized_shape);
    node->M_ = M, node->N_ = N, node->normalized_ndim_ = nd, node->eps_ = eps;
    autograd::set_history(r.out, node);
  }
  return r.out;
}

}  // namespace webtorch
