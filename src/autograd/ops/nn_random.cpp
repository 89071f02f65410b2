// The random in-place fills nn needs (uniform_ for nn.init and the layers' default
// initialisation) and dropout, drawing from the default generator (core/generator.h) exactly
// as PyTorch 1.13's CPU kernels draw, so that after manualSeed(s) a model and its dropout
// masks match PyTorch's after torch.manual_seed(s) bit for bit.
//
// Note [uniform_ and dropout streams]
// uniform_(from, to) on float32: one 32-bit draw r per element, in order;
//   x = float(r & (2^24 - 1)) * 2^-24;  value = fma(x, to - from, from) in float (from and to
//   cast to float first; PyTorch's kernel is compiled with FMA contraction: with a separate
//   multiply and add, about half the values of a non-power-of-two range differ in the last bits).
// dropout(p) in training (0 < p < 1): a mask with one 64-bit draw per element,
//   u = (r64 & (2^53 - 1)) * 2^-53 (double); keep = u < 1 - p;  noise = float(keep) / float(1 - p);
//   output = input * noise (MulBackward0). p == 0, eval mode or an empty input return input
//   itself; p == 1 multiplies by a 0-dim zero, as PyTorch does.

#include <cmath>

#include "core/generator.h"
#include "kernels/copy.h"
#include "kernels/random.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct UniformBackward0 : Node {
  std::string name() const override { return "UniformBackward0"; }
  variable_list apply(variable_list&& grads) override { return {zeros_like(grads[0])}; }
};
struct NormalBackward0 : Node {
  std::string name() const override { return "NormalBackward0"; }
  variable_list apply(variable_list&& grads) override { return {zeros_like(grads[0])}; }
};

// bernoulli(1 - p) / (1 - p), element after element (Note [uniform_ and dropout streams]).
Tensor dropout_noise(const Tensor& input, double p) {
  WT_CHECK(input.dtype() == ScalarType::Float32, "dropout: expected a float32 input, got ", name(input.dtype()));
  Tensor noise = empty(input.sizes(), ScalarType::Float32);
  CPUGenerator& gen = default_generator();
  float* n = noise.data<float>();
  const double keep_p = 1 - p;
  const float scale = float(keep_p);
  for (int64_t i = 0; i < noise.numel(); ++i) {
    const double u = double(gen.random64() & ((uint64_t(1) << 53) - 1)) * (1.0 / 9007199254740992.0);
    n[i] = (u < keep_p ? 1.0f : 0.0f) / scale;
  }
  return noise;
}

}  // namespace

const Tensor& uniform_(const Tensor& self, double from, double to) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"check_uniform_bounds\" not implemented for '",
           torch_name(self.dtype()), "'");
  WT_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from=", from, " > to=", to);
  check_no_internal_overlap(self);
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg, [&] { return autograd::make_node<UniformBackward0>({&self}); },
      [&] {
        CPUGenerator& gen = default_generator();
        const float f = float(from), t = float(to);
        const float range = t - f;
        Tensor dst = self.is_contiguous() ? self : empty(self.sizes(), ScalarType::Float32);
        float* d = dst.data<float>();
        for (int64_t i = 0; i < dst.numel(); ++i) {
          const float x = float(gen.random() & ((1u << 24) - 1)) * (1.0f / 16777216.0f);
          d[i] = std::fma(x, range, f);  // PyTorch's AVX2 build contracts x * range + from into an FMA
        }
        if (!dst.is_same(self)) kernels::copy(self, dst);
      });
}

// normal_(mean, std): the standard normals of torch.randn (kernels::normal), then
// fma(n, std, mean) as PyTorch's 16-wide path does; for fewer than 16 elements PyTorch scales
// the double-precision sample before rounding, so there the last bit may differ.
const Tensor& normal_(const Tensor& self, double mean, double std) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"normal_kernel_cpu\" not implemented for '", torch_name(self.dtype()), "'");
  WT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  check_no_internal_overlap(self);
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg, [&] { return autograd::make_node<NormalBackward0>({&self}); },
      [&] {
        Tensor n = empty(self.sizes(), ScalarType::Float32);
        kernels::normal(n, default_generator());
        float* d = n.data<float>();
        const float m = float(mean), s = float(std);
        for (int64_t i = 0; i < n.numel(); ++i) d[i] = std::fma(d[i], s, m);
        kernels::copy(self, n);
      });
}

Tensor dropout(const Tensor& input, double p, bool train) {
  WT_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !train || input.numel() == 0) return input;
  if (p == 1) return mul(input, zeros({}, input.dtype()));
  return mul(input, dropout_noise(input, p));
}

Tensor dropout_(const Tensor& input, double p, bool train) {
  WT_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !train || input.numel() == 0) return input;
  if (p == 1) return mul_(input, zeros({}, input.dtype()));
  return mul_(input, dropout_noise(input, p));
}

}  // namespace webtorch
