#include "kernels/im2col.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/matmul.h"
#include "kernels/simd.h"

namespace webtorch {
namespace kernels {

template <class T>
void im2col(const ConvGeometry& g, const T* in, int64_t cs, int64_t hs, int64_t ws, T* cols) {
  const int64_t P = g.OH * g.OW;
  for (int64_t c = 0; c < g.C; ++c)
    for (int64_t ki = 0; ki < g.KH; ++ki)
      for (int64_t kj = 0; kj < g.KW; ++kj) {
        T* row = cols + ((c * g.KH + ki) * g.KW + kj) * P;
        const int64_t w0 = kj * g.DW - g.PL;
        // The output columns whose input column lies inside [0, W): [ow_lo, ow_hi).
        int64_t ow_lo = 0;
        while (ow_lo < g.OW && ow_lo * g.SW + w0 < 0) ++ow_lo;
        int64_t ow_hi = g.OW;
        while (ow_hi > ow_lo && (ow_hi - 1) * g.SW + w0 >= g.W) --ow_hi;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          T* out = row + oh * g.OW;
          const int64_t ih = oh * g.SH - g.PT + ki * g.DH;
          if (ih < 0 || ih >= g.H) {
            std::memset(out, 0, size_t(g.OW) * sizeof(T));
            continue;
          }
          const T* src = in + c * cs + ih * hs;
          for (int64_t ow = 0; ow < ow_lo; ++ow) out[ow] = T(0);
          if (g.SW == 1 && ws == 1) {
            const T* s = src + (ow_lo + w0);  // >= src: ow_lo + w0 >= 0
            for (int64_t i = 0; i < ow_hi - ow_lo; ++i) out[ow_lo + i] = s[i];
          } else {
            for (int64_t ow = ow_lo; ow < ow_hi; ++ow) out[ow] = src[(ow * g.SW + w0) * ws];
          }
          for (int64_t ow = ow_hi; ow < g.OW; ++ow) out[ow] = T(0);
        }
      }
}

template void im2col<float>(const ConvGeometry&, const float*, int64_t, int64_t, int64_t, float*);
template void im2col<int32_t>(const ConvGeometry&, const int32_t*, int64_t, int64_t, int64_t, int32_t*);

// Note [Packing a convolution's B panel]
// Forward: B[k, p] = cols[k, p] (k = (c, ki, kj), p = (oh, ow)). A panel is kc rows of
// NR = 8 consecutive pixels. Row k reads the input at the pixel's top-left position plus a
// fixed offset (ConvPanelSource::rows). When the eight pixels lie in one output row with unit
// stride, each row of the panel is eight consecutive input values (two vector loads); when no
// row of the panel touches the padding, nothing is checked. Pixels across output rows, other
// strides and layouts: each value on its own.
// Weight gradient: B[p, k] = cols[k, p], so a panel is kc pixels by eight rows of cols:
// with unit stride, four pixels of each of the eight rows are loaded as vectors and
// transposed (two 4x4 transposes) into four rows of the panel.

std::vector<ConvRow> conv_rows(const ConvGeometry& g, int64_t cs, int64_t hs, int64_t ws) {
  std::vector<ConvRow> rows;
  rows.reserve(size_t(g.C * g.KH * g.KW));
  for (int64_t c = 0; c < g.C; ++c)
    for (int64_t ki = 0; ki < g.KH; ++ki)
      for (int64_t kj = 0; kj < g.KW; ++kj)
        rows.push_back({c * cs + ki * g.DH * hs + kj * g.DW * ws, ki * g.DH, kj * g.DW});
  return rows;
}

void pack_conv_panel(const void* source, int64_t k0, int64_t kc, int64_t j0, int64_t nr, float* dst) {
  constexpr int64_t NR = kGemmPanelWidth;
  const ConvPanelSource& s = *static_cast<const ConvPanelSource*>(source);
  const ConvGeometry& g = s.g;
  const ConvRow* rows = s.rows + k0;
  const float* in = s.in;
  const int64_t oh0 = j0 / g.OW, ow0 = j0 % g.OW;
  if (nr == NR && g.KW == 1 && g.PL == 0 && g.OW == g.W && g.SH == 1 && g.SW == 1 && s.ws == 1 && s.hs == g.W) {
    // One kernel column, no horizontal padding, rows stored back to back (1x1 convolutions):
    // consecutive pixels are consecutive input values, across output rows too.
    const int64_t HW = g.H * g.W, f0 = j0 - g.PT * g.W;
    for (int64_t k = 0; k < kc; ++k, dst += NR) {
      const int64_t f = f0 + rows[k].dh * g.W;
      const float* plane = in + (rows[k].offset - rows[k].dh * g.W);
      if (f >= 0 && f + NR <= HW) {
        simd::store(dst, simd::load(plane + f));
        simd::store(dst + 4, simd::load(plane + f + 4));
      } else {
        for (int64_t t = 0; t < NR; ++t) dst[t] = f + t >= 0 && f + t < HW ? plane[f + t] : 0.0f;
      }
    }
    return;
  }
  if (nr == NR && ow0 + NR <= g.OW && g.SW == 1 && s.ws == 1) {
    const int64_t ih0 = oh0 * g.SH - g.PT, iw0 = ow0 - g.PL, base = ih0 * s.hs + iw0;
    const bool interior = ih0 >= 0 && ih0 + g.DH * (g.KH - 1) < g.H && iw0 >= 0 && iw0 + g.DW * (g.KW - 1) + NR <= g.W;
    if (interior) {
      for (int64_t k = 0; k < kc; ++k, dst += NR) {
        const float* src = in + (base + rows[k].offset);
        simd::store(dst, simd::load(src));
        simd::store(dst + 4, simd::load(src + 4));
      }
      return;
    }
    for (int64_t k = 0; k < kc; ++k, dst += NR) {
      const int64_t ih = ih0 + rows[k].dh, iw = iw0 + rows[k].dw;
      if (ih < 0 || ih >= g.H) {
        simd::store(dst, simd::zero());
        simd::store(dst + 4, simd::zero());
      } else if (iw >= 0 && iw + NR <= g.W) {
        const float* src = in + (base + rows[k].offset);
        simd::store(dst, simd::load(src));
        simd::store(dst + 4, simd::load(src + 4));
      } else {
        const int64_t o = base + rows[k].offset;
        for (int64_t t = 0; t < NR; ++t) dst[t] = iw + t >= 0 && iw + t < g.W ? in[o + t] : 0.0f;
      }
    }
    return;
  }
  // Any stride or layout, panels across output rows, the ragged last panel.
  int64_t ih0[NR], iw0[NR];
  for (int64_t t = 0, oh = oh0, ow = ow0; t < nr; ++t) {
    ih0[t] = oh * g.SH - g.PT;
    iw0[t] = ow * g.SW - g.PL;
    if (++ow == g.OW) ow = 0, ++oh;
  }
  if (s.in_bounds) {
    int64_t at[NR];
    for (int64_t t = 0; t < nr; ++t) at[t] = ih0[t] * s.hs + iw0[t] * s.ws;
    for (int64_t k = 0; k < kc; ++k, dst += NR) {
      const float* src = in + rows[k].offset;
      int64_t t = 0;
      for (; t < nr; ++t) dst[t] = src[at[t]];
      for (; t < NR; ++t) dst[t] = 0.0f;
    }
    return;
  }
  for (int64_t k = 0; k < kc; ++k, dst += NR) {
    const ConvRow& r = rows[k];
    int64_t t = 0;
    for (; t < nr; ++t) {
      const int64_t ih = ih0[t] + r.dh, iw = iw0[t] + r.dw;
      dst[t] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? in[ih0[t] * s.hs + iw0[t] * s.ws + r.offset] : 0.0f;
    }
    for (; t < NR; ++t) dst[t] = 0.0f;
  }
}

namespace {

// Rows r0..r3 of a 4x4 block become its columns.
inline void transpose4(simd::f32x4& r0, simd::f32x4& r1, simd::f32x4& r2, simd::f32x4& r3) {
#if WEBTORCH_SIMD
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  r0 = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  r1 = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  r2 = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  r3 = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
#else
  simd::f32x4* r[4] = {&r0, &r1, &r2, &r3};
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) std::swap(r[i]->v[j], r[j]->v[i]);
#endif
}

}  // namespace

void pack_conv_panel_t(const void* source, int64_t p0, int64_t kc, int64_t j0, int64_t nr, float* dst) {
  constexpr int64_t NR = kGemmPanelWidth;
  const ConvPanelSource& s = *static_cast<const ConvPanelSource*>(source);
  const ConvGeometry& g = s.g;
  const ConvRow* rows = s.rows + j0;
  const bool unit = g.SW == 1 && s.ws == 1;
  int64_t oh = p0 / g.OW, ow = p0 % g.OW;
  for (int64_t p = 0; p < kc;) {
    const int64_t run = std::min(g.OW - ow, kc - p);  // the rest of this output row
    const int64_t ih0 = oh * g.SH - g.PT;
    // Per row t of cols: where output column ow reads (src + ow * SW * ws), and the output
    // columns [lo, hi) whose input lies inside the plane (none when the input row is outside).
    const float* src[NR];
    int64_t lo[NR], hi[NR], all_lo = 0, all_hi = run;
    for (int64_t t = 0; t < NR; ++t) {
      lo[t] = hi[t] = 0;
      src[t] = s.in;
      if (t < nr) {
        const int64_t ih = ih0 + rows[t].dh, w0 = rows[t].dw - g.PL;
        if (ih >= 0 && ih < g.H) {
          int64_t a = ow, b = ow + run;  // output columns of this run
          while (a < b && a * g.SW + w0 < 0) ++a;
          while (b > a && (b - 1) * g.SW + w0 >= g.W) --b;
          lo[t] = a - ow, hi[t] = b - ow;
          src[t] = s.in + (ih0 * s.hs + (ow * g.SW - g.PL) * s.ws + rows[t].offset);
        }
      }
      all_lo = std::max(all_lo, lo[t]);
      all_hi = std::min(all_hi, hi[t]);
    }
    float* d = dst + p * NR;
    int64_t i = 0;
    if (unit && nr == NR) {
      // Pixels [all_lo, all_hi) are inside the plane for all eight rows.
      for (; i < all_lo; ++i)
        for (int64_t t = 0; t < NR; ++t) d[i * NR + t] = i >= lo[t] && i < hi[t] ? src[t][i] : 0.0f;
      for (; i + 4 <= all_hi; i += 4) {
        simd::f32x4 a0 = simd::load(src[0] + i), a1 = simd::load(src[1] + i), a2 = simd::load(src[2] + i),
                    a3 = simd::load(src[3] + i);
        simd::f32x4 b0 = simd::load(src[4] + i), b1 = simd::load(src[5] + i), b2 = simd::load(src[6] + i),
                    b3 = simd::load(src[7] + i);
        transpose4(a0, a1, a2, a3);
        transpose4(b0, b1, b2, b3);
        float* q = d + i * NR;
        simd::store(q, a0), simd::store(q + 4, b0);
        simd::store(q + 8, a1), simd::store(q + 12, b1);
        simd::store(q + 16, a2), simd::store(q + 20, b2);
        simd::store(q + 24, a3), simd::store(q + 28, b3);
      }
    }
    const int64_t step = g.SW * s.ws;
    for (; i < run; ++i)
      for (int64_t t = 0; t < NR; ++t) d[i * NR + t] = i >= lo[t] && i < hi[t] ? src[t][i * step] : 0.0f;
    p += run;
    ow = 0, ++oh;
  }
}

void col2im_add(const ConvGeometry& g, const float* cols, float* in) {
  const int64_t P = g.OH * g.OW;
  for (int64_t c = 0; c < g.C; ++c)
    for (int64_t ki = 0; ki < g.KH; ++ki)
      for (int64_t kj = 0; kj < g.KW; ++kj) {
        const float* row = cols + ((c * g.KH + ki) * g.KW + kj) * P;
        const int64_t w0 = kj * g.DW - g.PL;
        // The output columns whose input column lies inside [0, W), as in im2col.
        int64_t ow_lo = 0;
        while (ow_lo < g.OW && ow_lo * g.SW + w0 < 0) ++ow_lo;
        int64_t ow_hi = g.OW;
        while (ow_hi > ow_lo && (ow_hi - 1) * g.SW + w0 >= g.W) --ow_hi;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          const int64_t ih = oh * g.SH - g.PT + ki * g.DH;
          if (ih < 0 || ih >= g.H) continue;
          float* dst = in + (c * g.H + ih) * g.W;
          const float* src = row + oh * g.OW;
          if (g.SW == 1) {
            float* d = dst + (ow_lo + w0);  // ow_lo + w0 >= 0
            for (int64_t i = 0; i < ow_hi - ow_lo; ++i) d[i] += src[ow_lo + i];
          } else {
            for (int64_t ow = ow_lo; ow < ow_hi; ++ow) dst[ow * g.SW + w0] += src[ow];
          }
        }
      }
}

}  // namespace kernels
}  // namespace webtorch
