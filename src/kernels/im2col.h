#pragma once
// im2col / col2im for 2-D convolution: a convolution becomes one GEMM per image and group.
//
//   cols[(c * KH + ki) * KW + kj, oh * OW + ow] = in[c, oh * SH - PT + ki * DH, ow * SW - PL + kj * DW]
//   (0 outside the input: the zero padding)
//
// The input plane is read through its strides (any layout); cols is contiguous.

#include <cstdint>
#include <vector>

namespace webtorch {
namespace kernels {

struct ConvGeometry {
  int64_t C, H, W;        // input channels (of one group) and spatial size
  int64_t KH, KW;         // kernel
  int64_t SH, SW;         // stride
  int64_t PT, PL;         // padding before (top, left); padding after only changes OH, OW
  int64_t DH, DW;         // dilation
  int64_t OH, OW;         // output spatial size
};

template <class T>
void im2col(const ConvGeometry& g, const T* in, int64_t c_stride, int64_t h_stride, int64_t w_stride, T* cols);

// in[c, ih, iw] += cols[...] for every (row, column) of cols; in is contiguous [C, H, W].
void col2im_add(const ConvGeometry& g, const float* cols, float* in);

// The convolution's B operand for kernels::gemm_panels, packed straight from the input
// (Note [Packing a convolution's B panel] in im2col.cpp); in is one image's group, read
// through its strides.
struct ConvRow {
  int64_t offset;  // of in[c, ih + dh, iw + dw] from in[0, ih, iw]
  int64_t dh, dw;  // ki * DH, kj * DW
};
// One entry per row (c, ki, kj) of cols, for input strides cs, hs, ws.
std::vector<ConvRow> conv_rows(const ConvGeometry& g, int64_t cs, int64_t hs, int64_t ws);
struct ConvPanelSource {
  ConvGeometry g;
  const float* in;
  int64_t cs, hs, ws;   // channel, row, column strides of in
  const ConvRow* rows;  // conv_rows(g, cs, hs, ws)
  bool in_bounds;       // every read lies inside the plane (a padded copy): no checks
};
// B = cols [C*KH*KW, OH*OW]
void pack_conv_panel(const void* source, int64_t k0, int64_t kc, int64_t j0, int64_t nr, float* dst);
// B = cols^T [OH*OW, C*KH*KW]
void pack_conv_panel_t(const void* source, int64_t p0, int64_t kc, int64_t j0, int64_t nr, float* dst);

}  // namespace kernels
}  // namespace webtorch
