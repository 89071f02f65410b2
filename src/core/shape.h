#pragma once
// Shape arithmetic shared by every op: numel, contiguity, dim wrapping, broadcasting.

#include "core/array_ref.h"
#include "core/dim_vector.h"

namespace webtorch {
namespace shape {

int64_t numel(IntArrayRef sizes);
DimVector contiguous_strides(IntArrayRef sizes);
bool is_contiguous(IntArrayRef sizes, IntArrayRef strides);

// Wraps a possibly negative dim into [0, ndim); PyTorch's IndexError text otherwise.
// A 0-dim tensor accepts dims -1 and 0 (PyTorch treats it as 1-dim here).
int64_t wrap_dim(int64_t dim, int64_t ndim, bool scalar_as_1d = true);

// The broadcast shape of a and b, or PyTorch's "The size of tensor a (..) must match..."
DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b);

// Resolves a single -1 in a requested view/reshape shape against numel.
DimVector infer_size(IntArrayRef requested, int64_t numel);

// Strides for viewing (sizes, strides) as new_sizes without copying, or false when
// impossible (PyTorch's computeStride).
bool compute_view_strides(IntArrayRef old_sizes, IntArrayRef old_strides, IntArrayRef new_sizes,
                          DimVector* new_strides);

}  // namespace shape
}  // namespace webtorch
