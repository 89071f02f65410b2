// The values of nll_loss / nll_loss2d and of their gradient, in float32, with PyTorch 1.13's
// checks. One kernel serves both ops (ops/nll_loss.h: the input seen as [N, C, S]).

#include "ops/nll_loss.h"

#include "ops/op_utils.h"

namespace webtorch {
namespace native {

Layout layout_of(IntArrayRef sizes) {
  if (sizes.size() == 1) return {1, sizes[0], 1};
  if (sizes.size() == 2) return {sizes[0], sizes[1], 1};
  return {sizes[0], sizes[1], sizes[2] * sizes[3]};
}

void check_nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t ignore_index) {
  WT_CHECK(self.dtype() == ScalarType::Float32, "\"", self.dim() == 4 ? "nll_loss2d_forward_out_frame" : "nll_loss_out_frame",
           "\" not implemented for '", torch_name(self.dtype()), "'");
  WT_CHECK(target.dtype() == ScalarType::Int32, "expected scalar type Int but found ", torch_name(target.dtype()));
  WT_CHECK(!weight.defined() || weight.dtype() == ScalarType::Float32, "expected scalar type Float but found ",
           torch_name(weight.dtype()));
  const Layout L = layout_of(self.sizes());
  const Tensor t = target.is_contiguous() ? target : contiguous_clone(target);
  const int32_t* td = t.data<int32_t>();
  // Bounds first: a failing op changes nothing and records nothing.
  for (int64_t i = 0; i < L.N * L.S; ++i) {
    const int32_t c = td[i];
    if (c == ignore_index) continue;
    WT_CHECK(c >= 0 && c < L.C, "Target ", c, " is out of bounds.");
  }
}

std::pair<Tensor, double> nll_loss_forward(const Tensor& self, const Tensor& target, const Tensor& weight,
                                           Reduction reduction, int64_t ignore_index, IntArrayRef out_sizes) {
  const Layout L = layout_of(self.sizes());
  const Tensor x = self.is_contiguous() ? self : contiguous_clone(self);
  const Tensor t = target.is_contiguous() ? target : contiguous_clone(target);
  const Tensor w = !weight.defined() || weight.is_contiguous() ? weight : contiguous_clone(weight);
  const float* xd = x.data<float>();
  const int32_t* td = t.data<int32_t>();
  const float* wd = w.defined() ? w.data<float>() : nullptr;
  Tensor out;
  double total_weight = 0;
  if (reduction == Reduction::None) {
    out = empty(out_sizes, ScalarType::Float32);
    float* od = out.data<float>();
    for (int64_t n = 0; n < L.N; ++n)
      for (int64_t s = 0; s < L.S; ++s) {
        const int32_t c = td[n * L.S + s];
        if (c == ignore_index) {
          od[n * L.S + s] = 0.0f;
          continue;
        }
        const float v = xd[(n * L.C + c) * L.S + s];
        od[n * L.S + s] = wd ? -(wd[c] * v) : -v;
        total_weight += wd ? wd[c] : 1.0f;
      }
  } else {
    double loss = 0;
    for (int64_t n = 0; n < L.N; ++n)
      for (int64_t s = 0; s < L.S; ++s) {
        const int32_t c = td[n * L.S + s];
        if (c == ignore_index) continue;
        const float v = xd[(n * L.C + c) * L.S + s];
        const float wc = wd ? wd[c] : 1.0f;
        loss -= double(v) * double(wc);
        total_weight += wc;
      }
    if (reduction == Reduction::Mean) loss = float(loss) / float(total_weight);  // 0 / 0 is NaN, as in PyTorch
    out = full({}, float(loss));
  }
  return {out, total_weight};
}

Tensor nll_loss_backward(const Tensor& grad, const Tensor& target, const Tensor& weight, IntArrayRef self_sizes,
                         Reduction reduction, int64_t ignore_index, double total_weight) {
  const Tensor g = grad.is_contiguous() ? grad : contiguous_clone(grad);
  const Layout L = layout_of(self_sizes);
  Tensor gi = zeros(self_sizes);
  float* gid = gi.data<float>();
  const int32_t* td = target.data<int32_t>();
  const float* wd = weight.defined() ? weight.data<float>() : nullptr;
  const float* gd = g.data<float>();
  for (int64_t n = 0; n < L.N; ++n)
    for (int64_t s = 0; s < L.S; ++s) {
      const int32_t t = td[n * L.S + s];
      if (t == ignore_index) continue;
      const float go = reduction == Reduction::None ? gd[n * L.S + s] : gd[0];
      float v = reduction == Reduction::Mean ? -(go / float(total_weight)) : -go;
      if (wd) v = wd[t] * v;
      gid[(n * L.C + t) * L.S + s] = v;
    }
  return gi;
}

}  // namespace native
}  // namespace webtorch
