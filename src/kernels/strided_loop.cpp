#include "kernels/strided_loop.h"

#include "core/error.h"

namespace webtorch {
namespace kernels {

namespace {

// Every operand either contiguous with exactly the shape of the first, or a single element
// broadcast to it (a wrapped scalar): one flat run, with stride 0 for the single elements.
bool flat_operands(std::initializer_list<const Tensor*> operands) {
  const Tensor& first = **operands.begin();
  if (!first.is_contiguous()) return false;
  for (const Tensor* t : operands) {
    if (t == &first) continue;
    if (t->numel() == 1 && t->dim() <= first.dim()) continue;
    if (!t->is_contiguous() || !t->sizes().equals(first.sizes())) return false;
  }
  return true;
}

}  // namespace

StridedLoop::StridedLoop(std::initializer_list<const Tensor*> operands, int reference) {
  nops = int(operands.size());
  const Tensor& shape_op = **operands.begin();
  if (flat_operands(operands)) {
    // The common case of small elementwise ops: skip the sort and merge below (they would
    // produce this same single dim).
    ndim = 1;
    sizes[0] = shape_op.numel();
    int k = 0;
    for (const Tensor* t : operands) {
      data[k] = t->impl()->data();
      const bool broadcast = t != &shape_op && t->numel() == 1 && !t->sizes().equals(shape_op.sizes());
      strides[k][0] = broadcast ? 0 : int64_t(itemsize(t->dtype()));
      ++k;
    }
    return;
  }
  const int full_ndim = int(shape_op.dim());
  int64_t full_sizes[kMaxDims];
  int64_t full_strides[kMaxOperands][kMaxDims];
  for (int d = 0; d < full_ndim; ++d) full_sizes[d] = shape_op.size(d);
  int k = 0;
  for (const Tensor* t : operands) {
    data[k] = t->impl()->data();
    const int64_t item = int64_t(itemsize(t->dtype()));
    const int offset = full_ndim - int(t->dim());
    for (int d = 0; d < full_ndim; ++d) {
      const int td = d - offset;
      full_strides[k][d] = (td < 0 || t->size(td) == 1) ? 0 : t->stride(td) * item;
    }
    ++k;
  }
  // Order dims by the reference operand's strides, outermost (largest) first; a stable
  // insertion sort keeps the logical order among equal strides.
  int order[kMaxDims];
  int n = 0;
  for (int d = 0; d < full_ndim; ++d) {
    if (full_sizes[d] == 1) continue;  // size-1 dims do not move any pointer
    order[n++] = d;
  }
  for (int i = 1; i < n; ++i) {
    const int cur = order[i];
    int j = i - 1;
    while (j >= 0 && full_strides[reference][order[j]] < full_strides[reference][cur]) {
      order[j + 1] = order[j];
      --j;
    }
    order[j + 1] = cur;
  }
  // Merge neighbours that are contiguous for every operand.
  ndim = 0;
  for (int i = 0; i < n; ++i) {
    const int d = order[i];
    if (ndim > 0) {
      bool mergeable = true;
      for (int op = 0; op < nops; ++op)
        if (strides[op][ndim - 1] != full_strides[op][d] * full_sizes[d]) mergeable = false;
      if (mergeable) {
        sizes[ndim - 1] *= full_sizes[d];
        for (int op = 0; op < nops; ++op) strides[op][ndim - 1] = full_strides[op][d];
        continue;
      }
    }
    sizes[ndim] = full_sizes[d];
    for (int op = 0; op < nops; ++op) strides[op][ndim] = full_strides[op][d];
    ++ndim;
  }
  // A zero-size dim must survive (it means "no elements").
  for (int d = 0; d < full_ndim; ++d)
    if (full_sizes[d] == 0) {
      ndim = 1;
      sizes[0] = 0;
      for (int op = 0; op < nops; ++op) strides[op][0] = 0;
      break;
    }
}

}  // namespace kernels
}  // namespace webtorch
