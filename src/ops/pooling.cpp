// The values of the 2-D poolings (Note [Pooling planes]): PyTorch 1.13's geometry
// (pooling_output_shape, pool2d_shape_check in ATen/native/Pool.h) and its CPU kernels'
// arithmetic (cpu_max_pool, cpu_avg_pool, cpu_adaptive_avg_pool), float32.

#include "ops/pooling.h"

#include <cmath>
#include <limits>

#include "core/shape.h"
#include "kernels/parallel.h"
#include "ops/op_utils.h"

namespace webtorch {
namespace native {

namespace {

// Floor division (div_rtn): the output size may come out negative before the checks refuse it.
int64_t div_floor(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t pooling_output_shape(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation, bool ceil_mode) {
  WT_CHECK(stride != 0, "stride should not be zero");
  WT_CHECK(pad >= 0, "pad must be non-negative, but got pad: ", pad);
  WT_CHECK(pad <= k / 2, "pad should be at most half of kernel size, but got pad=", pad, " and kernel_size=", k);
  int64_t out = div_floor(in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  // The last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

void pool2d_shape_check(const Tensor& input, const Pool2dGeometry& g, int64_t planes_per_item) {
  WT_CHECK(g.kw > 0 && g.kh > 0, "kernel size should be greater than zero, but got kH: ", g.kh, " kW: ", g.kw);
  WT_CHECK(g.sw > 0 && g.sh > 0, "stride should be greater than zero, but got dH: ", g.sh, " dW: ", g.sw);
  WT_CHECK(g.dh > 0 && g.dw > 0, "dilation should be greater than zero, but got dilationH: ", g.dh,
           " dilationW: ", g.dw);
  const int64_t ndim = input.dim();
  const bool valid_dims = ndim >= 3 && input.size(1) != 0 && input.size(2) != 0;
  WT_CHECK((ndim == 3 && input.size(0) != 0 && valid_dims) || (ndim == 4 && valid_dims && input.size(3) != 0),
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:", input.sizes());
  WT_CHECK(g.kw / 2 >= g.pw && g.kh / 2 >= g.ph, "pad should be smaller than or equal to half of kernel size, but got ",
           "padW = ", g.pw, ", padH = ", g.ph, ", kW = ", g.kw, ", kH = ", g.kh);
  WT_CHECK(g.ow >= 1 && g.oh >= 1, "Given input size: (", planes_per_item, "x", g.ih, "x", g.iw,
           "). Calculated output size: (", planes_per_item, "x", g.oh, "x", g.ow, "). Output size is too small");
}

// kernel_size, stride (empty: the kernel) and padding as PyTorch's meta functions read them.
void read_window(Pool2dGeometry& g, const char* op, IntArrayRef k, IntArrayRef stride, IntArrayRef padding,
                 const char* padding_text) {
  WT_CHECK(k.size() == 1 || k.size() == 2, op, ": kernel_size must either be a single int, or a tuple of two ints");
  g.kh = k[0];
  g.kw = k.size() == 1 ? g.kh : k[1];
  WT_CHECK(stride.size() <= 2, op, ": stride must either be omitted, a single int, or a tuple of two ints");
  g.sh = stride.empty() ? g.kh : stride[0];
  g.sw = stride.empty() ? g.kw : stride.size() == 1 ? g.sh : stride[1];
  WT_CHECK(padding.size() == 1 || padding.size() == 2, op, padding_text);
  g.ph = padding[0];
  g.pw = padding.size() == 1 ? g.ph : padding[1];
}

void finish_geometry(Pool2dGeometry& g, const Tensor& input) {
  const int64_t planes_per_item = input.size(input.dim() - 3);
  g.ih = input.size(input.dim() - 2);
  g.iw = input.size(input.dim() - 1);
  g.oh = pooling_output_shape(g.ih, g.kh, g.ph, g.sh, g.dh, g.ceil_mode);
  g.ow = pooling_output_shape(g.iw, g.kw, g.pw, g.sw, g.dw, g.ceil_mode);
  pool2d_shape_check(input, g, planes_per_item);
  g.planes = input.numel() / (g.ih * g.iw);
  g.out_sizes.assign(input.sizes());
  g.out_sizes[size_t(input.dim() - 2)] = g.oh;
  g.out_sizes[size_t(input.dim() - 1)] = g.ow;
}

Tensor contiguous_float(const Tensor& t) { return t.is_contiguous() ? t : contiguous_clone(t); }

// Runs fn(plane) for every plane, in parallel chunks of about 16K input elements. One
// type-erased entry (a function pointer and its context) serves every kernel, so each does not
// bring its own std::function machinery into the binary.
using PlaneFn = void (*)(const void* context, int64_t plane);
void for_each_plane(int64_t planes, int64_t plane_elements, PlaneFn fn, const void* context) {
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, plane_elements));
  kernels::parallel_for(planes, grain, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) fn(context, p);
  });
}
template <class Fn>
void for_each_plane(int64_t planes, int64_t plane_elements, const Fn& fn) {
  for_each_plane(planes, plane_elements, [](const void* c, int64_t p) { (*static_cast<const Fn*>(c))(p); }, &fn);
}

// A window of an averaging pooling: rows [h0, h1), columns [w0, w1), and the sum's divisors
// (avg_pool2d divides once, adaptive_avg_pool2d by the height and then by the width, as
// PyTorch's kernels do).
struct Window {
  int64_t h0, h1, w0, w1;
  float div1, div2;
  bool empty() const { return h0 >= h1 || w0 >= w1; }
};

// cpu_avg_pool's window clipped to the input, its divisor from the padded window.
Window avg_window(const Pool2dGeometry& g, const AvgPoolOptions& o, int64_t oh, int64_t ow) {
  Window w;
  w.h0 = oh * g.sh - g.ph;
  w.w0 = ow * g.sw - g.pw;
  w.h1 = std::min(w.h0 + g.kh, g.ih + g.ph);
  w.w1 = std::min(w.w0 + g.kw, g.iw + g.pw);
  const int64_t pool_size = (w.h1 - w.h0) * (w.w1 - w.w0);
  w.h0 = std::max<int64_t>(w.h0, 0);
  w.w0 = std::max<int64_t>(w.w0, 0);
  w.h1 = std::min(w.h1, g.ih);
  w.w1 = std::min(w.w1, g.iw);
  w.div1 = float(o.divisor_override ? *o.divisor_override
                 : o.count_include_pad ? pool_size
                                       : (w.h1 - w.h0) * (w.w1 - w.w0));
  w.div2 = 1;
  return w;
}

int64_t adaptive_start(int64_t i, int64_t out, int64_t in) { return (i * in) / out; }
int64_t adaptive_end(int64_t i, int64_t out, int64_t in) { return ((i + 1) * in + out - 1) / out; }

Window adaptive_window(int64_t oh, int64_t ow, int64_t oh_n, int64_t ow_n, int64_t ih, int64_t iw) {
  Window w{adaptive_start(oh, oh_n, ih), adaptive_end(oh, oh_n, ih), adaptive_start(ow, ow_n, iw),
           adaptive_end(ow, ow_n, iw), 0, 0};
  w.div1 = float(w.h1 - w.h0);
  w.div2 = float(w.w1 - w.w0);
  return w;
}

// The plane sizes of an averaging pooling and its window function window_of(oh, ow).
struct MeanPool {
  int64_t planes, ih, iw, oh, ow;
};

// Every output is its window's sum divided (an empty window gives 0).
template <class WindowOf>
void mean_pool_forward(const float* xd, float* od, const MeanPool& m, WindowOf&& window_of) {
  for_each_plane(m.planes, m.ih * m.iw, [&](int64_t p) {
    const float* in = xd + p * m.ih * m.iw;
    float* o = od + p * m.oh * m.ow;
    for (int64_t oh = 0; oh < m.oh; ++oh) {
      for (int64_t ow = 0; ow < m.ow; ++ow) {
        const Window w = window_of(oh, ow);
        float s = 0;
        for (int64_t h = w.h0; h < w.h1; ++h)
          for (int64_t c = w.w0; c < w.w1; ++c) s += in[h * m.iw + c];
        o[oh * m.ow + ow] = w.empty() ? 0.0f : s / w.div1 / w.div2;
      }
    }
  });
}

// Every output's gradient, divided as the forward divided, added to its window (gi starts as zeros).
template <class WindowOf>
void mean_pool_backward(const float* gd, float* gi, const MeanPool& m, WindowOf&& window_of) {
  for_each_plane(m.planes, m.ih * m.iw, [&](int64_t p) {
    const float* src = gd + p * m.oh * m.ow;
    float* dst = gi + p * m.ih * m.iw;
    for (int64_t oh = 0; oh < m.oh; ++oh) {
      for (int64_t ow = 0; ow < m.ow; ++ow) {
        const Window w = window_of(oh, ow);
        if (w.empty()) continue;
        const float d = src[oh * m.ow + ow] / w.div1 / w.div2;
        for (int64_t h = w.h0; h < w.h1; ++h)
          for (int64_t c = w.w0; c < w.w1; ++c) dst[h * m.iw + c] += d;
      }
    }
  });
}

}  // namespace

Pool2dGeometry check_max_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  Pool2dGeometry g;
  read_window(g, "max_pool2d", kernel_size, stride, padding,
              ": padding must be either be a single int, or a tuple of two ints");
  WT_CHECK(dilation.size() == 1 || dilation.size() == 2,
           "max_pool2d: dilation must be either a single int, or a tuple of two ints");
  g.dh = dilation[0];
  g.dw = dilation.size() == 1 ? g.dh : dilation[1];
  g.ceil_mode = ceil_mode;
  WT_CHECK(input.dim() == 3 || input.dim() == 4, "non-empty 3D or 4D (batch mode) tensor expected for input");
  finish_geometry(g, input);
  check_dispatch(input.dtype() == ScalarType::Float32, "max_pool2d", input.dtype());
  return g;
}

Pool2dGeometry check_avg_pool2d(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                IntArrayRef padding, bool ceil_mode, std::optional<int64_t> divisor_override) {
  Pool2dGeometry g;
  read_window(g, "avg_pool2d", kernel_size, stride, padding,
              ": padding must either be a single int, or a tuple of two ints");
  WT_CHECK(!divisor_override || *divisor_override != 0, "divisor must be not zero");
  g.ceil_mode = ceil_mode;
  (void)shape::wrap_dim(-3, input.dim(), false);  // torch's input.size(-3) error for fewer dims
  finish_geometry(g, input);
  check_dispatch(input.dtype() == ScalarType::Float32, "avg_pool2d", input.dtype());
  return g;
}

std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const Pool2dGeometry& g) {
  const Tensor x = contiguous_float(input);
  Tensor out = empty(g.out_sizes, ScalarType::Float32);
  Tensor indices = empty(g.out_sizes, ScalarType::Int32);
  const float* xd = x.data<float>();
  float* od = out.data<float>();
  int32_t* id = indices.data<int32_t>();
  for_each_plane(g.planes, g.ih * g.iw, [&](int64_t p) {
    const float* in = xd + p * g.ih * g.iw;
    float* o = od + p * g.oh * g.ow;
    int32_t* ix = id + p * g.oh * g.ow;
    for (int64_t oh = 0; oh < g.oh; ++oh) {
      int64_t h0 = oh * g.sh - g.ph;
      const int64_t h1 = std::min(h0 + (g.kh - 1) * g.dh + 1, g.ih);
      while (h0 < 0) h0 += g.dh;
      for (int64_t ow = 0; ow < g.ow; ++ow) {
        int64_t w0 = ow * g.sw - g.pw;
        const int64_t w1 = std::min(w0 + (g.kw - 1) * g.dw + 1, g.iw);
        while (w0 < 0) w0 += g.dw;
        int64_t best = h0 * g.iw + w0;
        float m = -std::numeric_limits<float>::infinity();
        for (int64_t h = h0; h < h1; h += g.dh) {
          for (int64_t w = w0; w < w1; w += g.dw) {
            const float v = in[h * g.iw + w];
            if (v > m || std::isnan(v)) {
              m = v;
              best = h * g.iw + w;
            }
          }
        }
        o[oh * g.ow + ow] = m;
        ix[oh * g.ow + ow] = int32_t(best);
      }
    }
  });
  return {out, indices};
}

Tensor max_pool2d_backward(const Tensor& grad_output, const Tensor& indices, IntArrayRef input_sizes) {
  const Tensor g = contiguous_float(cast_to(grad_output, ScalarType::Float32));
  const Tensor idx = contiguous_float(indices);
  Tensor gi = zeros(input_sizes, ScalarType::Float32);
  const int64_t ih = input_sizes[input_sizes.size() - 2], iw = input_sizes[input_sizes.size() - 1];
  const int64_t plane_out = idx.size(idx.dim() - 2) * idx.size(idx.dim() - 1);
  const int64_t planes = ih * iw == 0 ? 0 : gi.numel() / (ih * iw);
  const float* gd = g.data<float>();
  const int32_t* id = idx.data<int32_t>();
  float* o = gi.data<float>();
  for_each_plane(planes, ih * iw, [&](int64_t p) {
    float* dst = o + p * ih * iw;
    for (int64_t i = 0; i < plane_out; ++i) dst[id[p * plane_out + i]] += gd[p * plane_out + i];
  });
  return gi;
}

Tensor max_pool2d_gather(const Tensor& grad, const Tensor& indices) {
  const Tensor g = contiguous_float(cast_to(grad, ScalarType::Float32));
  const Tensor idx = contiguous_float(indices);
  Tensor out = empty(indices.sizes(), ScalarType::Float32);
  const int64_t plane_in = g.size(g.dim() - 2) * g.size(g.dim() - 1), plane_out = idx.size(idx.dim() - 2) * idx.size(idx.dim() - 1);
  const int64_t planes = plane_out == 0 ? 0 : idx.numel() / plane_out;
  const float* gd = g.data<float>();
  const int32_t* id = idx.data<int32_t>();
  float* o = out.data<float>();
  for_each_plane(planes, plane_out, [&](int64_t p) {
    for (int64_t i = 0; i < plane_out; ++i) o[p * plane_out + i] = gd[p * plane_in + id[p * plane_out + i]];
  });
  return out;
}

Tensor avg_pool2d(const Tensor& input, const Pool2dGeometry& g, const AvgPoolOptions& opt) {
  const Tensor x = contiguous_float(input);
  Tensor out = empty(g.out_sizes, ScalarType::Float32);
  mean_pool_forward(x.data<float>(), out.data<float>(), {g.planes, g.ih, g.iw, g.oh, g.ow},
                    [&](int64_t oh, int64_t ow) { return avg_window(g, opt, oh, ow); });
  return out;
}

Tensor avg_pool2d_backward(const Tensor& grad_output, IntArrayRef input_sizes, const Pool2dGeometry& g,
                           const AvgPoolOptions& opt) {
  const Tensor go = contiguous_float(cast_to(grad_output, ScalarType::Float32));
  Tensor gi = zeros(input_sizes, ScalarType::Float32);
  mean_pool_backward(go.data<float>(), gi.data<float>(), {g.planes, g.ih, g.iw, g.oh, g.ow},
                     [&](int64_t oh, int64_t ow) { return avg_window(g, opt, oh, ow); });
  return gi;
}

void check_adaptive_output_size(IntArrayRef output_size) {
  WT_CHECK(output_size.size() == 2, "adaptive_avg_pool2d: output_size must be 2");
  WT_CHECK(output_size[0] >= 0 && output_size[1] >= 0,
           "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {",
           output_size[0], ", ", output_size[1], "}");
}

void check_adaptive_avg_pool2d(const Tensor& input) {
  const int64_t ndim = input.dim();
  WT_CHECK(ndim == 3 || ndim == 4, "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ", input.sizes());
  for (int64_t i : {-2, -1})
    WT_CHECK(input.size(ndim + i) > 0,
             "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ",
             input.sizes(), " with dimension ", i + ndim, " being empty");
  check_dispatch(input.dtype() == ScalarType::Float32, "adaptive_avg_pool2d", input.dtype());
}

Tensor adaptive_avg_pool2d(const Tensor& input, int64_t oh_n, int64_t ow_n) {
  const Tensor x = contiguous_float(input);
  DimVector sizes(input.sizes());
  sizes[sizes.size() - 2] = oh_n;
  sizes[sizes.size() - 1] = ow_n;
  Tensor out = empty(sizes, ScalarType::Float32);
  const int64_t ih = input.size(input.dim() - 2), iw = input.size(input.dim() - 1);
  mean_pool_forward(x.data<float>(), out.data<float>(), {input.numel() / (ih * iw), ih, iw, oh_n, ow_n},
                    [&](int64_t oh, int64_t ow) { return adaptive_window(oh, ow, oh_n, ow_n, ih, iw); });
  return out;
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, IntArrayRef input_sizes) {
  const Tensor go = contiguous_float(cast_to(grad_output, ScalarType::Float32));
  Tensor gi = zeros(input_sizes, ScalarType::Float32);
  const int64_t ih = input_sizes[input_sizes.size() - 2], iw = input_sizes[input_sizes.size() - 1];
  const int64_t oh_n = go.size(go.dim() - 2), ow_n = go.size(go.dim() - 1);
  const int64_t planes = ih * iw == 0 ? 0 : gi.numel() / (ih * iw);
  mean_pool_backward(go.data<float>(), gi.data<float>(), {planes, ih, iw, oh_n, ow_n},
                     [&](int64_t oh, int64_t ow) { return adaptive_window(oh, ow, oh_n, ow_n, ih, iw); });
  return gi;
}

}  // namespace native
}  // namespace webtorch
