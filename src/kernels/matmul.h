#pragma once
// C = A @ B for float32 matrices given by pointer and element strides (any layout).
// C is written, never read; it is M x N with row stride ldc and unit column stride.

#include <cstdint>

namespace webtorch {
namespace kernels {

void gemm(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
          const float* B, int64_t b_row, int64_t b_col, float* C, int64_t ldc);

// The packed GEMM with B supplied one panel at a time by `pack`, for operands that are never
// materialised (a convolution packs B straight from its input: kernels/im2col.h):
//   C[0:M, 0:N] = (accumulate ? C : 0) + (bias ? bias[i] : 0) + A @ B
constexpr int64_t kGemmPanelWidth = 8;
// Writes B[k0:k0+kc, j0:j0+nr] (nr <= kGemmPanelWidth) to dst as kc rows of kGemmPanelWidth
// floats, the columns past nr zero.
using PackPanel = void (*)(const void* source, int64_t k0, int64_t kc, int64_t j0, int64_t nr, float* dst);
void gemm_panels(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
                 PackPanel pack, const void* source, const float* bias, bool accumulate, float* C,
                 int64_t ldc);

// The same for int32 (wrapping arithmetic), a plain triple loop.
void gemm_int32(int64_t M, int64_t N, int64_t K, const int32_t* A, int64_t a_row, int64_t a_col,
                const int32_t* B, int64_t b_row, int64_t b_col, int32_t* C, int64_t ldc);

}  // namespace kernels
}  // namespace webtorch
