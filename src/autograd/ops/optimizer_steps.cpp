// The update steps of torch.optim.SGD and torch.optim.Adam (their single-tensor forms, the
// default in PyTorch 1.13), one parameter at a time, fused into one pass over memory.
//
// Note [Optimizer arithmetic]
// Each formula is evaluated in float32 in the order torch.optim's tensor ops evaluate it:
// scalars are double in Python and cast to float by the kernels (lr, 1 - beta1, ...), bias
// corrections are computed in double, addcmul is self + (value * t1) * t2 and addcdiv is
// self + (value * t1) / t2. PyTorch's AVX2 kernels fuse `a + alpha * b` into one FMA; here it is
// a multiply and an add (wasm has no FMA), so values can differ in the last bit per operation,
// far inside the 1e-5 relative agreement the fixtures check.
// Nothing is recorded (torch.optim steps under no_grad); the parameter's version is bumped
// once per step, as by param.add_ / param.addcdiv_, and an inference-tensor parameter is
// refused before anything is written.

#include <cmath>
#include <vector>

#include "kernels/copy.h"
#include "kernels/parallel.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

void check_param(const char* optimizer, const Tensor& param, const Tensor& grad) {
  WT_CHECK(param.dtype() == ScalarType::Float32, optimizer, ": parameters must be float32, got ",
           name(param.dtype()));
  WT_CHECK(grad.dtype() == ScalarType::Float32, optimizer, ": gradients must be float32, got ", name(grad.dtype()));
  WT_CHECK(grad.sizes().equals(param.sizes()), optimizer, ": the gradient has shape ", grad.sizes(),
           " but the parameter has shape ", param.sizes());
  check_no_internal_overlap(param);
  autograd::check_inplace_inference(param);
}

Tensor contiguous_float(const Tensor& t) { return t.is_contiguous() ? t : contiguous_clone(t); }

// Runs fn(float* p) on param's elements in a contiguous buffer, writing back if needed.
template <class Fn>
void update_param(const Tensor& param, Fn&& fn) {
  if (param.is_contiguous()) {
    fn(param.data<float>());
  } else {
    Tensor tmp = contiguous_clone(param);
    fn(tmp.data<float>());
    kernels::copy(param, tmp);
  }
  autograd::bump_version(param);
}

Tensor new_state(const Tensor& param) { return zeros(param.sizes()); }

// Note [Parallel optimizer steps]
// Every element's update reads and writes only that element, in the same float operations
// whichever thread runs it, so splitting [0, n) across the kernel threads gives the same bits
// for every thread count. Small parameters (biases) stay on the caller.
constexpr int64_t kParallelUpdate = int64_t(1) << 15;

template <class Update>
void for_each_element(int64_t n, Update&& update) {
  if (n < kParallelUpdate) return update(int64_t(0), n);
  kernels::parallel_for(n, kParallelUpdate / 4, update);
}

}  // namespace

void sgd_step(const Tensor& param, const Tensor& grad, Tensor* buf, const SgdOptions& o) {
  check_param("SGD", param, grad);
  // A buffer made by a step inside inferenceMode is an inference tensor: PyTorch's
  // buf.mul_() refuses to update it outside the mode.
  if (o.momentum != 0 && buf->defined()) autograd::check_inplace_inference(*buf);
  const Tensor g = contiguous_float(grad);
  const float* gd = g.data<float>();
  const int64_t n = param.numel();
  const float wd = float(o.weight_decay), mom = float(o.momentum), damp1 = float(1.0 - o.dampening),
              neg_lr = float(-o.lr);
  const bool first = o.momentum != 0 && !buf->defined();
  if (first) *buf = new_state(param);
  float* bd = o.momentum != 0 ? buf->data<float>() : nullptr;
  update_param(param, [&](float* p) {
    for_each_element(n, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        float d = o.maximize ? -gd[i] : gd[i];
        if (o.weight_decay != 0) d = d + wd * p[i];
        if (o.momentum != 0) {
          // The first step's buffer is a copy of d (torch.clone(d_p)).
          const float b = first ? d : bd[i] * mom + damp1 * d;
          bd[i] = b;
          d = o.nesterov ? d + mom * b : b;
        }
        p[i] = p[i] + neg_lr * d;
      }
    });
  });
  if (bd && !first) autograd::bump_version(*buf);
}

void adam_step(const Tensor& param, const Tensor& grad, Tensor* exp_avg, Tensor* exp_avg_sq, Tensor* max_exp_avg_sq,
               double step, const AdamOptions& o) {
  check_param("Adam", param, grad);
  // State made by a step inside inferenceMode is made of inference tensors (PyTorch's
  // step_t += 1 is the first update it refuses outside the mode).
  for (const Tensor* state : {exp_avg, exp_avg_sq, max_exp_avg_sq})
    if (state->defined()) autograd::check_inplace_inference(*state);
  const Tensor g = contiguous_float(grad);
  const float* gd = g.data<float>();
  const int64_t n = param.numel();
  if (!exp_avg->defined()) *exp_avg = new_state(param);
  if (!exp_avg_sq->defined()) *exp_avg_sq = new_state(param);
  if (o.amsgrad && !max_exp_avg_sq->defined()) *max_exp_avg_sq = new_state(param);
  float* m = exp_avg->data<float>();
  float* v = exp_avg_sq->data<float>();
  float* vmax = o.amsgrad ? max_exp_avg_sq->data<float>() : nullptr;
  const double bias_correction1 = 1.0 - std::pow(o.beta1, step);
  const double bias_correction2 = 1.0 - std::pow(o.beta2, step);
  const float b1 = float(o.beta1), one_minus_b1 = float(1.0 - o.beta1);
  const float b2 = float(o.beta2), one_minus_b2 = float(1.0 - o.beta2);
  const float wd = float(o.weight_decay), eps = float(o.eps);
  const float neg_step_size = float(-(o.lr / bias_correction1));
  const float bc2_sqrt = float(std::sqrt(bias_correction2));
  update_param(param, [&](float* p) {
    for_each_element(n, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        float gi = o.maximize ? -gd[i] : gd[i];
        if (o.weight_decay != 0) gi = gi + wd * p[i];
        m[i] = m[i] * b1 + one_minus_b1 * gi;
        v[i] = v[i] * b2 + (one_minus_b2 * gi) * gi;
        float second = v[i];
        if (vmax) {
          vmax[i] = std::isnan(vmax[i]) || vmax[i] > v[i] ? vmax[i] : v[i];  // torch.maximum propagates NaN
          if (std::isnan(v[i])) vmax[i] = v[i];
          second = vmax[i];
        }
        const float denom = std::sqrt(second) / bc2_sqrt + eps;
        p[i] = p[i] + (neg_step_size * m[i]) / denom;
      }
    });
  });
  autograd::bump_version(*exp_avg);
  autograd::bump_version(*exp_avg_sq);
  if (vmax) autograd::bump_version(*max_exp_avg_sq);
}

}  // namespace webtorch
