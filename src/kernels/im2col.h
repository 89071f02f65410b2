#pragma once
// im2col / col2im for 2-D convolution: a convolution becomes one GEMM per image and group.
//
//   cols[(c * KH + ki) * KW + kj, oh * OW + ow] = in[c, oh * SH - PT + ki * DH, ow * SW - PL + kj * DW]
//   (0 outside the input: the zero padding)
//
// The input plane is read through its strides (any layout); cols is contiguous.

#include <cstdint>

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

}  // namespace kernels
}  // namespace webtorch
