// layer_norm's fused row kernels (ops/layer_norm.h). The moments are accumulated in double
// (PyTorch accumulates float rows in float with a cascade; double keeps the result within
// float32 rounding of the exact one), the rest is float32 as PyTorch's kernel computes it.

#include "ops/layer_norm.h"

#include <cmath>

namespace webtorch {
namespace native {

namespace {
Tensor dense(const Tensor& t) { return !t.defined() || t.is_contiguous() ? t : contiguous_clone(t); }
}  // namespace

LayerNormOut layer_norm_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t M, int64_t N,
                                double eps) {
  const Tensor x = dense(input), w = dense(weight), b = dense(bias);
  LayerNormOut r{empty(input.sizes(), input.dtype()), empty({M}, ScalarType::Float32),
                 empty({M}, ScalarType::Float32)};
  const float* xs = x.data<float>();
  const float* ws = w.defined() ? w.data<float>() : nullptr;
  const float* bs = b.defined() ? b.data<float>() : nullptr;
  float* out = r.out.data<float>();
  float* mean = r.mean.data<float>();
  float* rstd = r.rstd.data<float>();
  for (int64_t i = 0; i < M; ++i) {
    const float* row = xs + i * N;
    double s = 0, ss = 0;
    for (int64_t j = 0; j < N; ++j) s += row[j];
    const double mu = N > 0 ? s / double(N) : 0;
    for (int64_t j = 0; j < N; ++j) {
      const double d = row[j] - mu;
      ss += d * d;
    }
    const double var = N > 0 ? ss / double(N) : 0;
    const float m = float(mu), rs = float(1.0 / std::sqrt(var + eps));
    mean[i] = m;
    rstd[i] = rs;
    float* o = out + i * N;
    for (int64_t j = 0; j < N; ++j) {
      float y = (row[j] - m) * rs;
      if (ws) y *= ws[j];
      if (bs) y += bs[j];
      o[j] = y;
    }
  }
  return r;
}

LayerNormGrads layer_norm_backward(const Tensor& grad_out, const Tensor& input, const Tensor& mean, const Tensor& rstd,
                                   const Tensor& weight, IntArrayRef normalized_shape, int64_t M, int64_t N,
                                   bool need_input, bool need_weight, bool need_bias) {
  const Tensor g = dense(grad_out), x = dense(input), w = dense(weight);
  LayerNormGrads r;
  if (need_input) r.input = empty(input.sizes(), input.dtype());
  if (need_weight) r.weight = zeros(normalized_shape, ScalarType::Float32);
  if (need_bias) r.bias = zeros(normalized_shape, ScalarType::Float32);
  const float* gs = g.data<float>();
  const float* xs = x.data<float>();
  const float* ws = w.defined() ? w.data<float>() : nullptr;
  const float* means = mean.data<float>();
  const float* rstds = rstd.data<float>();
  float* gw = need_weight ? r.weight.data<float>() : nullptr;
  float* gb = need_bias ? r.bias.data<float>() : nullptr;
  for (int64_t i = 0; i < M; ++i) {
    const float* gr = gs + i * N;
    const float* xr = xs + i * N;
    const float m = means[i], rs = rstds[i];
    if (gw)
      for (int64_t j = 0; j < N; ++j) gw[j] += gr[j] * ((xr[j] - m) * rs);
    if (gb)
      for (int64_t j = 0; j < N; ++j) gb[j] += gr[j];
    if (!need_input) continue;
    // dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)), gw = grad * weight.
    double a = 0, b = 0;
    for (int64_t j = 0; j < N; ++j) {
      const float gj = ws ? gr[j] * ws[j] : gr[j];
      a += gj;
      b += double(gj) * ((xr[j] - m) * rs);
    }
    const float ma = float(a / double(N)), mb = float(b / double(N));
    float* dx = r.input.data<float>() + i * N;
    for (int64_t j = 0; j < N; ++j) {
      const float gj = ws ? gr[j] * ws[j] : gr[j];
      dx[j] = rs * (gj - ma - (xr[j] - m) * rs * mb);
    }
  }
  return r;
}

}  // namespace native
}  // namespace webtorch
