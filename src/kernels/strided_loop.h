#pragma once
// StridedLoop: walks N tensors of one iteration shape, as PyTorch's TensorIterator does
// in miniature. Every kernel is strided: nothing assumes a contiguous input.
//
// Each operand has byte strides over the iteration shape (0 along broadcast dims). Dims are
// ordered by one reference operand's strides (innermost = smallest), adjacent dims that
// stay contiguous for every operand are merged, and the kernel's inner function gets one
// 1-D run at a time: inner(char** ptrs, const int64_t* byte_strides, int64_t n).

#include <algorithm>
#include <cstdint>
#include <initializer_list>

#include "core/dim_vector.h"
#include "core/tensor.h"
#include "kernels/parallel.h"

namespace webtorch {
namespace kernels {

constexpr int kMaxOperands = 4;

struct StridedLoop {
  int nops = 0;
  int ndim = 0;
  int64_t sizes[kMaxDims];
  int64_t strides[kMaxOperands][kMaxDims];  // bytes
  char* data[kMaxOperands];

  // operands[0] defines the iteration shape; the others broadcast to it (right-aligned).
  // reference: the operand whose memory order the loop follows.
  StridedLoop(std::initializer_list<const Tensor*> operands, int reference = 0);

  template <class Inner>
  void run(Inner&& inner) const;

  // run() for inner functions where each output element depends only on the input elements
  // at its own position (elementwise kernels, never reductions): a large single run is
  // split across the kernel threads (Note [Elementwise chunks]).
  template <class Inner>
  void run_elementwise(Inner&& inner) const;

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= sizes[d];
    return n;
  }
};

template <class Inner>
void StridedLoop::run(Inner&& inner) const {
  char* ptrs[kMaxOperands];
  int64_t inner_strides[kMaxOperands];
  for (int k = 0; k < nops; ++k) ptrs[k] = data[k];
  if (ndim == 0) {
    for (int k = 0; k < nops; ++k) inner_strides[k] = 0;
    inner(ptrs, inner_strides, int64_t(1));
    return;
  }
  for (int d = 0; d < ndim; ++d)
    if (sizes[d] == 0) return;
  const int last = ndim - 1;
  for (int k = 0; k < nops; ++k) inner_strides[k] = strides[k][last];
  const int64_t n = sizes[last];
  if (ndim == 1) {
    inner(ptrs, inner_strides, n);
    return;
  }
  int64_t counter[kMaxDims];
  for (int d = 0; d < last; ++d) counter[d] = 0;
  for (;;) {
    inner(ptrs, inner_strides, n);
    // Advance the outer index (dims 0..last-1), odometer style.
    int d = last - 1;
    for (; d >= 0; --d) {
      if (++counter[d] < sizes[d]) {
        for (int k = 0; k < nops; ++k) ptrs[k] += strides[k][d];
        break;
      }
      for (int k = 0; k < nops; ++k) ptrs[k] -= strides[k][d] * (sizes[d] - 1);
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

// Note [Elementwise chunks]
// A 1-D loop of at least kParallelElements elements is cut into chunks that start at
// multiples of 16 elements. The vector loops handle 16 elements per step, then 4, then one,
// so every element goes down the same path (vector or scalar lane) as in one serial run,
// and the result is bit-identical for every thread count (Note [Bit-identical for every
// thread count] in matmul.cpp).
constexpr int64_t kParallelElements = int64_t(1) << 16;

template <class Inner>
void StridedLoop::run_elementwise(Inner&& inner) const {
  if (ndim != 1 || sizes[0] < kParallelElements || num_threads() == 1) return run(inner);
  const int64_t n = sizes[0];
  parallel_for((n + 15) / 16, kParallelElements / 64, [&](int64_t first, int64_t last) {
    const int64_t begin = first * 16, end = std::min(last * 16, n);
    char* ptrs[kMaxOperands];
    int64_t inner_strides[kMaxOperands];
    for (int k = 0; k < nops; ++k) {
      inner_strides[k] = strides[k][0];
      ptrs[k] = data[k] + begin * strides[k][0];
    }
    inner(ptrs, inner_strides, end - begin);
  });
}

}  // namespace kernels
}  // namespace webtorch
