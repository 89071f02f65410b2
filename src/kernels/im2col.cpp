#include "kernels/im2col.h"

#include <cstring>

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
