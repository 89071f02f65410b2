#pragma once
// The memory layout PyTorch gives the result of an elementwise op (and of .to(dtype)).
//
// Note [Elementwise output layout]
// PyTorch's TensorIterator allocates an elementwise result in the memory order of its
// inputs, so `x.t().mul(2)` is a transposed (non-contiguous) tensor and a later view([-1])
// fails, reshape copies (UnsafeViewBackward0) and contiguous() clones. The rule, as
// TensorIterator's fast_set_up / compute_strides / reorder_dimensions (ATen 1.13):
//  * all inputs of the result's shape and all contiguous: contiguous; all channels-last
//    (4-d): channels-last; all non-overlapping and dense with equal strides: those strides;
//  * otherwise the dims are sorted innermost-first by the first input's strides; a dim an
//    input broadcasts (stride 0) does not decide, equal strides put the smaller size inside,
//    and an undecided pair is decided by the next input, else keeps the logical order. The
//    result is dense in that order (contiguous if the order is the logical one).
// On CPU an input of another dtype than the common one is first converted by .to(), whose
// layout (to_strides) is the one that counts.

#include <initializer_list>

#include "core/dim_vector.h"
#include "core/tensor.h"

namespace webtorch {

// One input of an elementwise op, in TensorIterator's operand order; converted: it is cast
// (by .to()) before the loop, so its layout is to_strides(*tensor). Undefined ones are skipped.
struct LayoutInput {
  const Tensor* tensor;
  bool converted;
};

// The strides of an elementwise result of `shape`.
constexpr size_t kMaxLayoutInputs = 4;
DimVector elementwise_strides(IntArrayRef shape, std::initializer_list<LayoutInput> inputs);
DimVector elementwise_strides(IntArrayRef shape, const LayoutInput* inputs, size_t count);

// A fresh result for inputs that are all promoted to `common` (converted when of another dtype).
Tensor empty_elementwise(IntArrayRef shape, ScalarType dtype,
                         std::initializer_list<const Tensor*> inputs, ScalarType common);
inline Tensor empty_elementwise(IntArrayRef shape, ScalarType dtype,
                                std::initializer_list<const Tensor*> inputs) {
  return empty_elementwise(shape, dtype, inputs, dtype);
}

// For kernels that write densely in logical order: `dense` itself when it already has the
// layout above, else a copy of it with that layout.
Tensor with_elementwise_layout(const Tensor& dense, std::initializer_list<const Tensor*> inputs,
                               ScalarType common);

// The strides of t.to(other dtype): a non-overlapping dense t keeps its strides, anything
// else gets dense strides in t's memory order (at::infer_dense_strides).
DimVector to_strides(const Tensor& t);

}  // namespace webtorch
