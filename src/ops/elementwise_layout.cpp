#include "ops/elementwise_layout.h"

#include <algorithm>
#include <vector>

#include "core/shape.h"
#include "kernels/copy.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

// TensorIterator's reorder_dimensions (and at::infer_dense_strides, which copies it):
// perm[0] becomes the innermost dim. Starts from the logical order and insertion-sorts with
// a comparison that may be undecided (0): then the next operand decides, else nothing moves.
void sort_dims(IntArrayRef shape, const std::vector<DimVector>& operands, int64_t* perm) {
  const int64_t n = int64_t(shape.size());
  for (int64_t i = 0; i < n; ++i) perm[i] = n - 1 - i;
  auto should_swap = [&](int64_t dim0, int64_t dim1) {
    for (const DimVector& s : operands) {
      const int64_t s0 = s[size_t(dim0)], s1 = s[size_t(dim1)];
      if (s0 == 0 || s1 == 0) continue;  // broadcast along one of them: no say
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[size_t(dim0)] > shape[size_t(dim1)]) return 1;  // equal strides: smaller inside
    }
    return 0;
  };
  for (int64_t i = 1; i < n; ++i) {
    int64_t dim1 = i;
    for (int64_t dim0 = i - 1; dim0 >= 0; --dim0) {
      const int c = should_swap(perm[dim0], perm[dim1]);
      if (c > 0) {
        std::swap(perm[dim0], perm[dim1]);
        dim1 = dim0;
      } else if (c < 0) {
        break;
      }
    }
  }
}

bool is_channels_last_contiguous(IntArrayRef sizes, IntArrayRef strides) {
  if (sizes.size() != 4) return false;
  int64_t expected = 1;
  for (size_t d : {size_t(1), size_t(3), size_t(2), size_t(0)}) {
    if (sizes[d] == 1) continue;
    if (strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

struct Input {
  IntArrayRef sizes;
  DimVector strides;
};

}  // namespace

DimVector to_strides(const Tensor& t) {
  if (is_non_overlapping_and_dense(t)) return DimVector(t.strides());
  const IntArrayRef sizes = t.sizes();
  const int64_t n = t.dim();
  if (n <= 1) return shape::contiguous_strides(sizes);
  int64_t perm[kMaxDims];
  sort_dims(sizes, {DimVector(t.strides())}, perm);
  DimVector out(size_t(n), 0);
  int64_t running = 1;
  for (int64_t i = 0; i < n; ++i) {
    out[size_t(perm[i])] = running;
    if (sizes[size_t(perm[i])] > 1) running *= sizes[size_t(perm[i])];
  }
  return out;
}

DimVector elementwise_strides(IntArrayRef shape, std::initializer_list<LayoutInput> inputs) {
  return elementwise_strides(shape, inputs.begin(), inputs.size());
}

DimVector elementwise_strides(IntArrayRef shape, const LayoutInput* inputs, size_t count) {
  WT_CHECK(count <= kMaxLayoutInputs, "elementwise_strides: too many inputs");
  std::vector<Input> ins;
  for (size_t k = 0; k < count; ++k) {
    const Tensor& t = *inputs[k].tensor;
    const bool converted = inputs[k].converted;
    if (t.defined()) ins.push_back({t.sizes(), converted ? to_strides(t) : DimVector(t.strides())});
  }
  const int64_t n = int64_t(shape.size());
  // fast_set_up: every input has the result's shape (and none is 0-d among n-d ones).
  bool same_shape = !ins.empty();
  for (const Input& in : ins) same_shape = same_shape && in.sizes.equals(shape);
  if (same_shape) {
    bool contiguous = true, channels_last = true, dense = true, same_strides = true;
    for (const Input& in : ins) {
      contiguous = contiguous && shape::is_contiguous(in.sizes, in.strides);
      channels_last = channels_last && is_channels_last_contiguous(in.sizes, in.strides);
      same_strides = same_strides && IntArrayRef(in.strides).equals(ins.front().strides);
    }
    if (contiguous) return shape::contiguous_strides(shape);
    if (channels_last) {
      DimVector s(4, 0);
      s[1] = 1;
      s[3] = shape[1];
      s[2] = s[3] * shape[3];
      s[0] = s[2] * shape[2];
      return s;
    }
    for (const Input& in : ins) dense = dense && is_non_overlapping_and_dense(in.sizes, in.strides);
    if (dense && same_strides) return ins.front().strides;
  }
  if (n <= 1) return shape::contiguous_strides(shape);
  // compute_strides: right-aligned, 0 where an input broadcasts a size-1 (or missing) dim.
  std::vector<DimVector> strides;
  for (const Input& in : ins) {
    DimVector s(size_t(n), 0);
    const int64_t offset = n - int64_t(in.sizes.size());
    for (int64_t i = 0; i < int64_t(in.sizes.size()); ++i) {
      const bool broadcast = in.sizes[size_t(i)] == 1 && shape[size_t(offset + i)] != 1;
      s[size_t(offset + i)] = broadcast ? 0 : in.strides[size_t(i)];
    }
    strides.push_back(s);
  }
  int64_t perm[kMaxDims];
  sort_dims(shape, strides, perm);
  bool inverted = true;
  for (int64_t j = 0; j < n; ++j) inverted = inverted && perm[j] == n - 1 - j;
  if (inverted) return shape::contiguous_strides(shape);
  // compatible_stride in the sorted order, then back to logical dims.
  DimVector out(size_t(n), 0);
  int64_t next = 1;
  for (int64_t j = 0; j < n; ++j) {
    out[size_t(perm[j])] = next;
    next *= shape[size_t(perm[j])];
  }
  return out;
}

Tensor empty_elementwise(IntArrayRef shape, ScalarType dtype,
                         std::initializer_list<const Tensor*> inputs, ScalarType common) {
  WT_CHECK(inputs.size() <= kMaxLayoutInputs, "empty_elementwise: too many inputs");
  LayoutInput ins[kMaxLayoutInputs];
  size_t n = 0;
  for (const Tensor* t : inputs) ins[n++] = {t, t->defined() && t->dtype() != common};
  const DimVector strides = elementwise_strides(shape, ins, n);
  return empty_strided(shape, strides, dtype);
}

Tensor with_elementwise_layout(const Tensor& dense, std::initializer_list<const Tensor*> inputs,
                               ScalarType common) {
  Tensor laid_out = empty_elementwise(dense.sizes(), dense.dtype(), inputs, common);
  if (laid_out.strides().equals(dense.strides())) return dense;
  kernels::copy(laid_out, dense);
  return laid_out;
}

}  // namespace webtorch
