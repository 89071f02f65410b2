// mse_loss and MseLossBackward0. Inputs of different shapes are broadcast first with
// expand (recorded), as torch.nn.functional.mse_loss does (it warns; webtorch does not).

#include "ops/elementwise_layout.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

Tensor as_contiguous_float(const Tensor& t) {
  if (t.dtype() == ScalarType::Float32 && t.is_contiguous()) return t;
  return to_dtype(t, ScalarType::Float32);
}

struct MseLossBackward0 : Node {
  std::string name() const override { return "MseLossBackward0"; }
  variable_list apply(variable_list&& grads) override {
    // TODO(higher-order): an mse_loss_backward op with its own node (PyTorch:
    // MseLossBackwardBackward0); the loop below does not record.
    const Tensor x = as_contiguous_float(self_.unpack(this));
    const Tensor t = as_contiguous_float(target_.unpack(this));
    const Tensor g = as_contiguous_float(grads[0]);
    const int64_t n = x.numel();
    Tensor gi = empty(x.sizes(), ScalarType::Float32);
    const float norm = reduction_ == Reduction::Mean ? float(2.0 / double(n)) : 2.0f;
    const float* xd = x.data<float>();
    const float* td = t.data<float>();
    const float* gd = g.data<float>();
    float* o = gi.data<float>();
    const bool per_element = reduction_ == Reduction::None;
    for (int64_t i = 0; i < n; ++i) o[i] = norm * (xd[i] - td[i]) * (per_element ? gd[i] : gd[0]);
    variable_list out(2);
    if (should_compute_output(1)) out[1] = neg(gi);
    if (should_compute_output(0)) out[0] = gi;
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    target_.reset_data();
  }
  SavedVariable self_, target_;
  Reduction reduction_ = Reduction::Mean;
};

}  // namespace

Tensor mse_loss(const Tensor& self, const Tensor& target, Reduction reduction) {
  if (!self.sizes().equals(target.sizes())) {
    const DimVector shape = shape::broadcast_shapes(self.sizes(), target.sizes());
    return mse_loss(expand(self, shape), expand(target, shape), reduction);
  }
  const ScalarType type = result_type(self, target);
  WT_CHECK(type == ScalarType::Float32, "\"mse_cpu\" not implemented for '", torch_name(type), "'");
  auto node = autograd::make_node<MseLossBackward0>({&self, &target});
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->target_ = SavedVariable(target, false);
    node->reduction_ = reduction;
  }
  const Tensor x = as_contiguous_float(self);
  const Tensor t = as_contiguous_float(target);
  const float* xd = x.data<float>();
  const float* td = t.data<float>();
  const int64_t n = x.numel();
  Tensor out;
  if (reduction == Reduction::None) {
    out = empty(self.sizes(), ScalarType::Float32);
    float* o = out.data<float>();
    for (int64_t i = 0; i < n; ++i) {
      const float d = xd[i] - td[i];
      o[i] = d * d;
    }
  } else {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float d = xd[i] - td[i];
      s += double(d * d);
    }
    if (reduction == Reduction::Mean) s /= double(n);  // NaN for an empty input, as PyTorch
    out = full({}, float(s));
  }
  // reduction 'none' is a TensorIterator op in PyTorch: the result takes its layout.
  if (reduction == Reduction::None) out = with_elementwise_layout(out, {&self, &target}, ScalarType::Float32);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
