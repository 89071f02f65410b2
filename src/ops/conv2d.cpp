// conv2d and ConvolutionBackward0 as GEMMs, one per image and group.
//
// Note [Convolution as a GEMM]
// Forward: out[Cout_g, OH*OW] = W[Cout_g, C*KH*KW] @ cols[C*KH*KW, OH*OW], where cols is the
// im2col matrix (kernels/im2col.h). For float32, cols is never built: kernels::gemm_panels
// asks for B one 8-column panel at a time and pack_conv_panel fills it from the input, so the
// input is copied once (into L1-sized panels) instead of twice (im2col, then the GEMM's
// packing). The bias starts the sums. M = output channels streams through the 4-row
// micro-kernel, the pixels are the wide dimension.
// Backward, weight: gW[Cout_g, C*KH*KW] = sum over images of go[Cout_g, P] @ cols^T, the same
// kind of GEMM with B = cols^T packed from the input (pack_conv_panel_t), accumulating
// over images in C.
// Backward, input: with unit stride the input gradient is itself a convolution, of go with
// the flipped, transposed weight and padding d*(k-1) - p (which may be negative: the packer
// reads anything outside the plane as 0), so it takes the forward path. Strided convolutions
// use W^T @ go and col2im.
// The checks and their order are those of PyTorch 1.13's at::conv2d / at::_convolution
// (batchify, expand_param_if_needed, check_shape_forward, then the backend's dtype checks).

#include "ops/conv2d.h"

#include <algorithm>
#include <vector>

#include "kernels/im2col.h"
#include "kernels/matmul.h"
#include "ops/op_utils.h"

namespace webtorch {
namespace native {

namespace {

kernels::ConvGeometry geometry(const ConvParams& p, int64_t C, int64_t H, int64_t W, int64_t KH, int64_t KW) {
  kernels::ConvGeometry g;
  g.C = C, g.H = H, g.W = W, g.KH = KH, g.KW = KW;
  g.SH = p.sh, g.SW = p.sw, g.PT = p.pt, g.PL = p.pl, g.DH = p.dh, g.DW = p.dw;
  g.OH = (H + p.pt + p.pb - p.dh * (KH - 1) - 1) / p.sh + 1;
  g.OW = (W + p.pl + p.pr - p.dw * (KW - 1) - 1) / p.sw + 1;
  if (p.oh > 0) g.OH = p.oh, g.OW = p.ow;
  return g;
}


// Note [Padded copy]
// With unit horizontal stride, the input of one image and group is first copied into a
// zero-padded buffer (the padding and the contiguous layout made explicit, a ninth of
// what im2col would write for a 3x3 kernel), so the B panels are packed without a single
// bounds check: eight pixels of one output row are two vector loads, pixels across rows
// plain loads. An input already contiguous along rows that needs no padding is read in
// place. Other strides read the input itself, checking bounds.
class ConvOperand {
 public:
  ConvOperand(const kernels::ConvGeometry& g, int64_t cs, int64_t hs, int64_t ws) : g_(g), cs_(cs), hs_(hs), ws_(ws) {
    const int64_t Hp = (g.OH - 1) * g.SH + (g.KH - 1) * g.DH + 1, Wp = (g.OW - 1) + (g.KW - 1) * g.DW + 1;
    in_bounds_ = g.SW == 1;
    pad_ = g.SW == 1 && !(g.PT == 0 && g.PL == 0 && ws == 1 && Hp <= g.H && Wp <= g.W);
    if (pad_) {
      gp_ = g;
      gp_.H = Hp, gp_.W = Wp, gp_.PT = 0, gp_.PL = 0;
      buffer_.resize(size_t(g.C * Hp * Wp));
      rows_ = kernels::conv_rows(gp_, Hp * Wp, Wp, 1);
    } else {
      rows_ = kernels::conv_rows(g, cs, hs, ws);
    }
  }

  // The source of B for the image and group at in.
  kernels::ConvPanelSource source(const float* in) {
    if (!pad_) return {g_, in, cs_, hs_, ws_, rows_.data(), in_bounds_};
    const kernels::ConvGeometry& g = g_;
    const int64_t Hp = gp_.H, Wp = gp_.W;
    // Output columns [jl, jh) of a padded row hold input columns [jl - PL, jh - PL).
    const int64_t jl = std::min(std::max<int64_t>(g.PL, 0), Wp), jh = std::max(jl, std::min(Wp, g.W + g.PL));
    float* d = buffer_.data();
    for (int64_t c = 0; c < g.C; ++c)
      for (int64_t i = 0; i < Hp; ++i, d += Wp) {
        const int64_t si = i - g.PT;
        if (si < 0 || si >= g.H) {
          std::fill(d, d + Wp, 0.0f);
          continue;
        }
        const float* src = in + c * cs_ + si * hs_ + (jl - g.PL) * ws_;
        std::fill(d, d + jl, 0.0f);
        if (ws_ == 1) {
          std::copy(src, src + (jh - jl), d + jl);
        } else {
          for (int64_t j = jl; j < jh; ++j) d[j] = src[(j - jl) * ws_];
        }
        std::fill(d + jh, d + Wp, 0.0f);
      }
    return {gp_, buffer_.data(), Hp * Wp, Wp, 1, rows_.data(), true};
  }

 private:
  kernels::ConvGeometry g_, gp_;
  int64_t cs_, hs_, ws_;
  bool pad_, in_bounds_;
  std::vector<float> buffer_;
  std::vector<kernels::ConvRow> rows_;
};

// One image and group of a float32 convolution (Note [Convolution as a GEMM]):
// out[M, OH*OW] = bias + w[M, C*KH*KW] @ cols(in).
void conv_gemm(ConvOperand& operand, const kernels::ConvGeometry& g, int64_t M, const float* w, const float* bias,
               const float* in, float* out) {
  const kernels::ConvPanelSource src = operand.source(in);
  const int64_t K = g.C * g.KH * g.KW;
  kernels::gemm_panels(M, g.OH * g.OW, K, w, K, 1, kernels::pack_conv_panel, &src, bias, false, out, g.OH * g.OW);
}

// What both forwards start from: the sizes, the output (uninitialised) and a contiguous weight.
struct ForwardPlan {
  int64_t N, Cout, Cin_g, G, Cout_g, K, P;
  kernels::ConvGeometry g;
  Tensor out, wc;
};

ForwardPlan plan_forward(const Tensor& x, const Tensor& w, const ConvParams& p) {
  ForwardPlan f;
  f.N = x.size(0), f.Cout = w.size(0), f.Cin_g = w.size(1), f.G = p.groups, f.Cout_g = f.Cout / f.G;
  f.g = geometry(p, f.Cin_g, x.size(2), x.size(3), w.size(2), w.size(3));
  f.K = f.Cin_g * w.size(2) * w.size(3), f.P = f.g.OH * f.g.OW;
  f.out = empty({f.N, f.Cout, f.g.OH, f.g.OW}, x.dtype());
  f.wc = w.is_contiguous() ? w : contiguous_clone(w);
  return f;
}

Tensor conv_forward_float(const Tensor& x, const Tensor& w, const Tensor& b, const ConvParams& p) {
  const ForwardPlan f = plan_forward(x, w, p);
  if (f.out.numel() == 0) return f.out;
  const Tensor bc = !b.defined() || b.is_contiguous() ? b : contiguous_clone(b);
  const float* xd = x.data<float>();
  const float* wd = f.wc.data<float>();
  const float* bd = bc.defined() ? bc.data<float>() : nullptr;
  float* od = f.out.data<float>();
  ConvOperand operand(f.g, x.stride(1), x.stride(2), x.stride(3));
  for (int64_t n = 0; n < f.N; ++n)
    for (int64_t gi = 0; gi < f.G; ++gi)
      conv_gemm(operand, f.g, f.Cout_g, wd + gi * f.Cout_g * f.K, bd ? bd + gi * f.Cout_g : nullptr,
                xd + n * x.stride(0) + gi * f.Cin_g * x.stride(1), od + (n * f.Cout + gi * f.Cout_g) * f.P);
  return f.out;
}

// The int32 forward (no autograd): im2col, then the plain GEMM, then the bias.
Tensor conv_forward_int32(const Tensor& x, const Tensor& w, const Tensor& b, const ConvParams& p) {
  const ForwardPlan f = plan_forward(x, w, p);
  if (f.out.numel() == 0) return f.out;
  std::vector<int32_t> cols(size_t(f.K * f.P));
  const int32_t* xd = x.data<int32_t>();
  const int32_t* wd = f.wc.data<int32_t>();
  int32_t* od = f.out.data<int32_t>();
  for (int64_t n = 0; n < f.N; ++n)
    for (int64_t gi = 0; gi < f.G; ++gi) {
      const int32_t* in = xd + n * x.stride(0) + gi * f.Cin_g * x.stride(1);
      kernels::im2col<int32_t>(f.g, in, x.stride(1), x.stride(2), x.stride(3), cols.data());
      kernels::gemm_int32(f.Cout_g, f.P, f.K, wd + gi * f.Cout_g * f.K, f.K, 1, cols.data(), f.P, 1,
                          od + (n * f.Cout + gi * f.Cout_g) * f.P, f.P);
    }
  if (b.defined()) {
    const Tensor bc = b.is_contiguous() ? b : contiguous_clone(b);
    const int32_t* bd = bc.data<int32_t>();
    for (int64_t n = 0; n < f.N; ++n)
      for (int64_t co = 0; co < f.Cout; ++co) {
        int32_t* o = od + (n * f.Cout + co) * f.P;
        for (int64_t i = 0; i < f.P; ++i) o[i] = int32_t(uint32_t(o[i]) + uint32_t(bd[co]));
      }
  }
  return f.out;
}

// Note [Convolution as a GEMM]: gx[n, g] = conv(go[n, g], flipped W_g^T), stride 1.
Tensor input_grad_unit_stride(const float* god, const float* wd, const kernels::ConvGeometry& g,
                              const ConvParams& p, int64_t N, int64_t Cout, int64_t Cin) {
  const int64_t G = p.groups, Cout_g = Cout / G, Cin_g = g.C, KH = g.KH, KW = g.KW, KHW = KH * KW;
  const int64_t Kt = Cout_g * KHW, HW = g.H * g.W, P = g.OH * g.OW;
  // wt[gi][ci, (co, kh, kw)] = W[gi * Cout_g + co, ci, KH - 1 - kh, KW - 1 - kw]
  std::vector<float> wt(size_t(G * Cin_g * Kt));
  for (int64_t gi = 0; gi < G; ++gi)
    for (int64_t co = 0; co < Cout_g; ++co)
      for (int64_t ci = 0; ci < Cin_g; ++ci) {
        const float* src = wd + ((gi * Cout_g + co) * Cin_g + ci) * KHW;
        float* dst = wt.data() + (gi * Cin_g + ci) * Kt + co * KHW;
        for (int64_t i = 0; i < KHW; ++i) dst[i] = src[KHW - 1 - i];
      }
  kernels::ConvGeometry t;
  t.C = Cout_g, t.H = g.OH, t.W = g.OW, t.KH = KH, t.KW = KW, t.SH = 1, t.SW = 1;
  t.PT = g.DH * (KH - 1) - g.PT, t.PL = g.DW * (KW - 1) - g.PL, t.DH = g.DH, t.DW = g.DW;
  t.OH = g.H, t.OW = g.W;
  Tensor gx = empty({N, Cin, g.H, g.W});
  float* gxd = gx.data<float>();
  ConvOperand operand(t, P, g.OW, 1);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t gi = 0; gi < G; ++gi)
      conv_gemm(operand, t, Cin_g, wt.data() + gi * Cin_g * Kt, nullptr, god + (n * Cout + gi * Cout_g) * P,
                gxd + (n * Cin + gi * Cin_g) * HW);
  return gx;
}

// gx[n, g] = col2im(W_g^T [K, Cout_g] @ go[n, g] [Cout_g, P]), any stride.
Tensor input_grad_col2im(const float* god, const float* wd, const kernels::ConvGeometry& g,
                         const ConvParams& p, int64_t N, int64_t Cout, int64_t Cin) {
  const int64_t G = p.groups, Cout_g = Cout / G, Cin_g = g.C;
  const int64_t K = Cin_g * g.KH * g.KW, P = g.OH * g.OW;
  Tensor gx = zeros({N, Cin, g.H, g.W});
  float* gxd = gx.data<float>();
  std::vector<float> cols(size_t(K * P));
  for (int64_t n = 0; n < N && K > 0 && P > 0; ++n)
    for (int64_t gi = 0; gi < G; ++gi) {
      kernels::gemm(K, P, Cout_g, wd + gi * Cout_g * K, 1, K, god + (n * Cout + gi * Cout_g) * P, P, 1,
                    cols.data(), P);
      kernels::col2im_add(g, cols.data(), gxd + (n * Cin + gi * Cin_g) * g.H * g.W);
    }
  return gx;
}

const char* cpp_type_name(ScalarType t) {
  return t == ScalarType::Float32 ? "float" : t == ScalarType::Int32 ? "int" : "bool";
}

}  // namespace

DimVector expand_param(IntArrayRef list, const char* name, int64_t dim) {
  if (list.size() == 1) return DimVector(size_t(dim), list[0]);
  WT_CHECK(int64_t(list.size()) == dim, "expected ", name, " to be a single integer value or a list of ", dim,
           " values to match the convolution dimensions, but got ", name, "=", list);
  return DimVector(list);
}

ConvParams check_convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                             const int64_t pads[4], IntArrayRef dilation, int64_t groups) {
  const int64_t dim = weight.dim() - 2;
  WT_CHECK(dim > 0, "weight should have at least three dimensions");
  WT_CHECK(groups > 0, "non-positive groups is not supported");
  const DimVector s = expand_param(stride, "stride", dim);
  const DimVector d = expand_param(dilation, "dilation", dim);
  // check_shape_forward
  for (int i = 0; i < 4; ++i) WT_CHECK(pads[i] >= 0, "negative padding is not supported");
  for (int64_t v : s) WT_CHECK(v > 0, "non-positive stride is not supported");
  for (int64_t v : d) WT_CHECK(v > 0, "non-positive dilation is not supported");
  const IntArrayRef ws = weight.sizes();
  WT_CHECK(weight.dim() == input.dim(), "Expected ", weight.dim(), "-dimensional input for ", weight.dim(),
           "-dimensional weight ", ws, ", but got ", input.dim(), "-dimensional input of size ", input.sizes(),
           " instead");
  WT_CHECK(ws[0] >= groups, "Given groups=", groups, ", expected weight to be at least ", groups,
           " at dimension 0, but got weight of size ", ws, " instead");
  WT_CHECK(ws[0] % groups == 0, "Given groups=", groups, ", expected weight to be divisible by ", groups,
           " at dimension 0, but got weight of size [", ws, "] instead");
  WT_CHECK(input.size(1) == ws[1] * groups, "Given groups=", groups, ", weight of size ", ws,
           ", expected input", input.sizes(), " to have ", ws[1] * groups, " channels, but got ", input.size(1),
           " channels instead");
  WT_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == ws[0]), "Given weight of size ", ws,
           ", expected bias to be 1-dimensional with ", ws[0], " elements, but got bias of size ",
           bias.defined() ? bias.sizes() : IntArrayRef(), " instead");
  const int64_t ih = input.size(2) + pads[0] + pads[1], iw = input.size(3) + pads[2] + pads[3];
  const int64_t kh = d[0] * (ws[2] - 1) + 1, kw = d[1] * (ws[3] - 1) + 1;
  WT_CHECK(ih >= kh && iw >= kw, "Calculated padded input size per channel: (", ih, " x ", iw,
           "). Kernel size: (", kh, " x ", kw, "). Kernel size can't be greater than actual input size");
  // The backend's dtype checks.
  const ScalarType t = input.dtype();
  if (t == ScalarType::Float32) {
    WT_CHECK(weight.dtype() == t, "Input type (", legacy_type_name(t), ") and weight type (",
             legacy_type_name(weight.dtype()),
             ") should be the same or input should be a MKLDNN tensor and weight is a dense tensor");
    WT_CHECK(!bias.defined() || bias.dtype() == t, "Input type (", cpp_type_name(t), ") and bias type (",
             cpp_type_name(bias.dtype()), ") should be the same");
  } else {
    WT_CHECK(!bias.defined() || bias.dtype() == t, "Input type (", cpp_type_name(t), ") and bias type (",
             cpp_type_name(bias.dtype()), ") should be the same");
    WT_CHECK(weight.dtype() == t, "expected scalar type ", torch_name(t), " but found ", torch_name(weight.dtype()));
    WT_CHECK(t != ScalarType::Bool, "\"slow_conv2d_cpu\" not implemented for 'Bool'");
  }

  ConvParams p;
  p.sh = s[0], p.sw = s[1], p.dh = d[0], p.dw = d[1];
  p.pt = pads[0], p.pb = pads[1], p.pl = pads[2], p.pr = pads[3];
  p.groups = groups;
  return p;
}

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p) {
  return input.dtype() == ScalarType::Float32 ? conv_forward_float(input, weight, bias, p)
                                              : conv_forward_int32(input, weight, bias, p);
}

std::array<Tensor, 3> convolution_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                           IntArrayRef input_sizes, IntArrayRef weight_sizes, const ConvParams& p,
                                           std::array<bool, 3> output_mask) {
  std::array<Tensor, 3> out;
  const Tensor go = grad_output.is_contiguous() ? grad_output : contiguous_clone(grad_output);
  const int64_t N = input_sizes[0], Cin = input_sizes[1], H = input_sizes[2], W = input_sizes[3];
  const int64_t Cout = weight_sizes[0], Cin_g = weight_sizes[1], KH = weight_sizes[2], KW = weight_sizes[3];
  const int64_t G = p.groups, Cout_g = Cout / G;
  const kernels::ConvGeometry g = geometry(p, Cin_g, H, W, KH, KW);
  const int64_t K = Cin_g * KH * KW, P = g.OH * g.OW;
  const float* god = go.data<float>();
  if (output_mask[2]) {
    Tensor gb = zeros({Cout});
    float* gbd = gb.data<float>();
    for (int64_t co = 0; co < Cout; ++co) {
      double s = 0;
      for (int64_t n = 0; n < N; ++n) {
        const float* row = god + (n * Cout + co) * P;
        for (int64_t i = 0; i < P; ++i) s += row[i];
      }
      gbd[co] = float(s);
    }
    out[2] = gb;
  }
  if (output_mask[1]) {
    // gW_g = sum over n of go[n, g] [Cout_g, P] @ cols(x[n, g])^T [P, K]
    Tensor gw = zeros({Cout, Cin_g, KH, KW});
    float* gwd = gw.data<float>();
    const Tensor& x = input;
    const float* xd = x.data<float>();
    const std::vector<kernels::ConvRow> rows = kernels::conv_rows(g, x.stride(1), x.stride(2), x.stride(3));
    for (int64_t n = 0; n < N && K > 0 && P > 0; ++n)
      for (int64_t gi = 0; gi < G; ++gi) {
        const kernels::ConvPanelSource src{g, xd + n * x.stride(0) + gi * Cin_g * x.stride(1), x.stride(1),
                                           x.stride(2), x.stride(3), rows.data(), false};
        kernels::gemm_panels(Cout_g, K, P, god + (n * Cout + gi * Cout_g) * P, P, 1, kernels::pack_conv_panel_t,
                             &src, nullptr, true, gwd + gi * Cout_g * K, K);
      }
    out[1] = gw;
  }
  if (output_mask[0]) {
    const Tensor& w = weight;
    const Tensor wc = w.is_contiguous() ? w : contiguous_clone(w);
    out[0] = p.sh == 1 && p.sw == 1 ? input_grad_unit_stride(god, wc.data<float>(), g, p, N, Cout, Cin)
                                      : input_grad_col2im(god, wc.data<float>(), g, p, N, Cout, Cin);
  }
  return out;
}

}  // namespace native
}  // namespace webtorch
