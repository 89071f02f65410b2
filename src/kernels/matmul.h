#pragma once
// C = A @ B for float32 matrices given by pointer and element strides (any layout).
// C is written, never read; it is M x N with row stride ldc and unit column stride.

#include <cstdint>

namespace webtorch {
namespace kernels {

void gemm(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_row, int64_t a_col,
          const float* B, int64_t b_row, int64_t b_col, float* C, int64_t ldc);

// The same for int32 (wrapping arithmetic), a plain triple loop.
void gemm_int32(int64_t M, int64_t N, int64_t K, const int32_t* A, int64_t a_row, int64_t a_col,
                const int32_t* B, int64_t b_row, int64_t b_col, int32_t* C, int64_t ldc);

}  // namespace kernels
}  // namespace webtorch
