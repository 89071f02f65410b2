// The values of mse_loss and of its gradient, in float32.

#include "ops/mse_loss.h"

#include "ops/elementwise_layout.h"
#include "ops/op_utils.h"

namespace webtorch {
namespace native {

namespace {

Tensor as_contiguous_float(const Tensor& t) {
  if (t.dtype() == ScalarType::Float32 && t.is_contiguous()) return t;
  return to_dtype(t, ScalarType::Float32);
}

}  // namespace

void check_mse_loss(const Tensor& self, const Tensor& target) {
  const ScalarType type = result_type(self, target);
  WT_CHECK(type == ScalarType::Float32, "\"mse_cpu\" not implemented for '", torch_name(type), "'");
}

Tensor mse_loss(const Tensor& self, const Tensor& target, Reduction reduction) {
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
  return out;
}

Tensor mse_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, Reduction reduction) {
  const Tensor x = as_contiguous_float(self);
  const Tensor t = as_contiguous_float(target);
  const Tensor g = as_contiguous_float(grad);
  const int64_t n = x.numel();
  Tensor gi = empty(x.sizes(), ScalarType::Float32);
  const float norm = reduction == Reduction::Mean ? float(2.0 / double(n)) : 2.0f;
  const float* xd = x.data<float>();
  const float* td = t.data<float>();
  const float* gd = g.data<float>();
  float* o = gi.data<float>();
  const bool per_element = reduction == Reduction::None;
  for (int64_t i = 0; i < n; ++i) o[i] = norm * (xd[i] - td[i]) * (per_element ? gd[i] : gd[0]);
  return gi;
}

}  // namespace native
}  // namespace webtorch
