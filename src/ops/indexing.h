#pragma once
// The value half of the indexing ops (index_select, gather, scatter, scatter_add, at::index,
// index_put_). Nothing here records: the ops and their nodes are in autograd/ops/.
//
// Note [Indexing as element offsets]
// Every indexing op reads or writes a set of elements of one tensor, one per position of an
// iteration shape (the result's for a read, the index's or the indexing result's for a
// write). Positions holds, row-major over that shape, each element's offset (in elements)
// from the tensor's first element, so the same positions serve any layout: take() reads
// them into a fresh tensor, put() writes or accumulates a tensor of the iteration shape into
// them. Every offset is bounds-checked when the positions are made, before anything changes.

#include <vector>

#include "core/tensor.h"

namespace webtorch {
namespace native {

struct Positions {
  DimVector shape;
  std::vector<int64_t> offsets;
};

// gather / scatter / scatter_add along dim (already wrapped): one position per element of
// index; op names the op in the dtype error ("gather", "scatter", "scatter_add"). The
// checks are PyTorch's, in its order; src (undefined for gather and scatter's value form)
// takes part in the shape check.
Positions dim_positions(const char* op, const Tensor& self, int64_t dim, const Tensor& index,
                        const Tensor& src);

// index_select along dim (already wrapped): self's shape with dim replaced by index's length.
Positions select_positions(const Tensor& self, int64_t dim, const Tensor& index);

// at::index's bool masks replaced by their nonzero() positions (one int32 tensor per mask
// dim), PyTorch's dtype and mask-shape checks; undefined entries are dims left alone.
std::vector<Tensor> expand_index_tensors(const Tensor& self, const std::vector<Tensor>& indices);

// at::index of expanded indices: the advanced dims broadcast together; they replace the
// indexed dims where those are adjacent, else they go first (numpy's rule, as PyTorch).
Positions advanced_positions(const Tensor& self, const std::vector<Tensor>& indices);

// t broadcast to shape (an alias with zero strides; no checks, no autograd).
Tensor broadcast_to(const Tensor& t, IntArrayRef shape);

// A fresh contiguous tensor of p.shape holding src's elements at p.offsets.
Tensor take(const Tensor& src, const Positions& p);

// dst's elements at p.offsets = (or +=, with accumulate) values, which has p.shape and dst's
// dtype. Later writes of a repeated offset win; accumulation goes in position order.
void put(const Tensor& dst, const Positions& p, const Tensor& values, bool accumulate);

}  // namespace native
}  // namespace webtorch
