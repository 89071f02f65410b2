// The values of batch_norm and its gradients (ops/batch_norm.h). A contiguous input of shape
// (N, C, *) is N * C planes of `inner` values; channel c is planes c, C + c, 2C + c, ...
// Channels are independent, so the kernels run over channels in parallel.

#include "ops/batch_norm.h"

#include <cmath>

#include "kernels/parallel.h"
#include "ops/op_utils.h"

namespace webtorch {
namespace native {

namespace {

struct Layout {
  int64_t n, c, inner;
};
Layout layout_of(const Tensor& input) {
  const int64_t c = input.size(1);
  const int64_t inner = input.dim() > 2 ? input.numel() / std::max<int64_t>(1, input.size(0) * c) : 1;
  return {input.size(0), c, inner};
}

Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_clone(t); }

// Calls fn(c) for every channel, in parallel chunks of about 16K values, through one
// type-erased entry (a function pointer and its context) rather than a std::function per kernel.
using ChannelFn = void (*)(const void* context, int64_t channel);
void for_each_channel(const Layout& l, ChannelFn fn, const void* context) {
  const int64_t per_channel = std::max<int64_t>(1, l.n * l.inner);
  kernels::parallel_for(l.c, std::max<int64_t>(1, 16384 / per_channel), [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) fn(context, c);
  });
}
template <class Fn>
void for_each_channel(const Layout& l, const Fn& fn) {
  for_each_channel(l, [](const void* ctx, int64_t c) { (*static_cast<const Fn*>(ctx))(c); }, &fn);
}

void check_features(const char* what, int64_t num_features, const Tensor& t) {
  if (!t.defined()) return;
  WT_CHECK(t.numel() == num_features, what, " should contain ", num_features, " elements not ", t.numel());
}

float value_or(const Tensor& t, int64_t c, float fallback) { return t.defined() ? t.data<float>()[c] : fallback; }

}  // namespace

void check_batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                      const Tensor& running_var, bool training) {
  WT_CHECK(input.dim() >= 2, "batch_norm(): expected an input of at least 2 dimensions (N, C, *), got ", input.sizes());
  const int64_t num_features = input.size(1);
  check_features("running_mean", num_features, running_mean);
  WT_CHECK(running_mean.defined() || training, "running_mean must be defined in evaluation mode");
  check_features("running_var", num_features, running_var);
  WT_CHECK(running_var.defined() || training, "running_var must be defined in evaluation mode");
  check_features("weight", num_features, weight);
  check_features("bias", num_features, bias);
  check_dispatch(input.dtype() == ScalarType::Float32, "batch_norm", input.dtype());
  for (const Tensor* t : {&weight, &bias, &running_mean, &running_var})
    if (t->defined()) check_dispatch(t->dtype() == ScalarType::Float32, "batch_norm", t->dtype());
  for (const Tensor* t : {&weight, &bias, &running_mean, &running_var})
    WT_CHECK(!t->defined() || t->is_contiguous(), "batch_norm(): weight, bias and running statistics must be contiguous");
}

BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                            const Tensor& running_var, bool training, double momentum, double eps) {
  const Tensor x = contiguous_of(input);
  const Layout l = layout_of(x);
  BatchNormForward r;
  r.output = empty(input.sizes(), ScalarType::Float32);
  if (training) {
    r.save_mean = empty({l.c}, ScalarType::Float32);
    r.save_invstd = empty({l.c}, ScalarType::Float32);
  }
  const float* xd = x.data<float>();
  float* od = r.output.data<float>();
  const int64_t count = l.n * l.inner;
  for_each_channel(l, [&](int64_t c) {
    float mean, invstd;
    if (training) {
      // batch_norm_cpu_collect_stats: the sums in double, the mean and the sum of squared
      // deviations stored as float.
      double sum = 0;
      for (int64_t b = 0; b < l.n; ++b) {
        const float* p = xd + (b * l.c + c) * l.inner;
        for (int64_t i = 0; i < l.inner; ++i) sum += p[i];
      }
      mean = float(sum / double(count));
      double var_sum_acc = 0;
      for (int64_t b = 0; b < l.n; ++b) {
        const float* p = xd + (b * l.c + c) * l.inner;
        for (int64_t i = 0; i < l.inner; ++i) {
          const float d = p[i] - mean;
          var_sum_acc += d * d;
        }
      }
      const float var_sum = float(var_sum_acc);
      invstd = float(1.0 / std::sqrt(double(var_sum / float(count)) + eps));
      r.save_mean.data<float>()[c] = mean;
      r.save_invstd.data<float>()[c] = invstd;
      if (running_mean.defined()) {
        float& rm = running_mean.data<float>()[c];
        rm = float(momentum * mean + (1 - momentum) * rm);
      }
      if (running_var.defined()) {
        float& rv = running_var.data<float>()[c];
        const float unbiased = var_sum / float(count - 1);
        rv = float(momentum * unbiased + (1 - momentum) * rv);
      }
    } else {
      mean = running_mean.data<float>()[c];
      invstd = float(1.0 / std::sqrt(double(running_var.data<float>()[c]) + eps));
    }
    // batch_norm_cpu_transform_input: out = x * alpha + beta.
    const float alpha = invstd * value_or(weight, c, 1.0f);
    const float beta = value_or(bias, c, 0.0f) - mean * alpha;
    for (int64_t b = 0; b < l.n; ++b) {
      const float* p = xd + (b * l.c + c) * l.inner;
      float* o = od + (b * l.c + c) * l.inner;
      for (int64_t i = 0; i < l.inner; ++i) o[i] = p[i] * alpha + beta;
    }
  });
  return r;
}

std::array<Tensor, 3> batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                          const Tensor& running_mean, const Tensor& running_var,
                                          const Tensor& save_mean, const Tensor& save_invstd, bool training,
                                          double eps, std::array<bool, 3> output_mask) {
  const Tensor x = contiguous_of(input);
  const Tensor g = contiguous_of(cast_to(grad_output, ScalarType::Float32));
  const Layout l = layout_of(x);
  std::array<Tensor, 3> out;
  if (output_mask[0]) out[0] = empty(input.sizes(), ScalarType::Float32);
  if (output_mask[1]) out[1] = empty({l.c}, ScalarType::Float32);
  if (output_mask[2]) out[2] = empty({l.c}, ScalarType::Float32);
  const float* xd = x.data<float>();
  const float* gd = g.data<float>();
  const int64_t count = l.n * l.inner;
  for_each_channel(l, [&](int64_t c) {
    const float mean = training ? save_mean.data<float>()[c] : running_mean.data<float>()[c];
    const float invstd = training ? save_invstd.data<float>()[c]
                                  : float(1.0 / std::sqrt(double(running_var.data<float>()[c]) + eps));
    double sum = 0, dotp = 0;
    for (int64_t b = 0; b < l.n; ++b) {
      const float* p = xd + (b * l.c + c) * l.inner;
      const float* q = gd + (b * l.c + c) * l.inner;
      for (int64_t i = 0; i < l.inner; ++i) {
        sum += q[i];
        dotp += (p[i] - mean) * q[i];
      }
    }
    const float w = value_or(weight, c, 1.0f);
    if (output_mask[0]) {
      float* o = out[0].data<float>();
      if (training) {
        const float k = float(dotp) * invstd * invstd / float(count);
        const float grad_mean = float(sum) / float(count);
        for (int64_t b = 0; b < l.n; ++b) {
          const int64_t at = (b * l.c + c) * l.inner;
          for (int64_t i = 0; i < l.inner; ++i)
            o[at + i] = (gd[at + i] - grad_mean - (xd[at + i] - mean) * k) * invstd * w;
        }
      } else {
        for (int64_t b = 0; b < l.n; ++b) {
          const int64_t at = (b * l.c + c) * l.inner;
          for (int64_t i = 0; i < l.inner; ++i) o[at + i] = gd[at + i] * invstd * w;
        }
      }
    }
    if (output_mask[1]) out[1].data<float>()[c] = float(dotp) * invstd;
    if (output_mask[2]) out[2].data<float>()[c] = float(sum);
  });
  return out;
}

}  // namespace native
}  // namespace webtorch
