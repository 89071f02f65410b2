#include "core/shape.h"

#include <algorithm>

#include "core/error.h"

namespace webtorch {
namespace shape {

int64_t numel(IntArrayRef sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return n;
}

DimVector contiguous_strides(IntArrayRef sizes) {
  DimVector strides(sizes.size(), 1);
  int64_t running = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = running;
    running *= std::max<int64_t>(sizes[i], 1);
  }
  return strides;
}

bool is_contiguous(IntArrayRef sizes, IntArrayRef strides) {
  int64_t expected = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 0) return true;
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

int64_t wrap_dim(int64_t dim, int64_t ndim, bool scalar_as_1d) {
  if (ndim == 0 && scalar_as_1d) ndim = 1;
  WT_CHECK(ndim > 0, "Dimension specified as ", dim, " but tensor has no dimensions");
  const int64_t min = -ndim, max = ndim - 1;
  WT_CHECK(dim >= min && dim <= max, "Dimension out of range (expected to be in range of [",
           min, ", ", max, "], but got ", dim, ")");
  return dim < 0 ? dim + ndim : dim;
}

DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b) {
  const size_t n = std::max(a.size(), b.size());
  DimVector out(n, 1);
  for (size_t i = 0; i < n; ++i) {
    const ptrdiff_t ia = ptrdiff_t(a.size()) - 1 - ptrdiff_t(i);
    const ptrdiff_t ib = ptrdiff_t(b.size()) - 1 - ptrdiff_t(i);
    const int64_t sa = ia >= 0 ? a[size_t(ia)] : 1;
    const int64_t sb = ib >= 0 ? b[size_t(ib)] : 1;
    WT_CHECK(sa == sb || sa == 1 || sb == 1, "The size of tensor a (", sa,
             ") must match the size of tensor b (", sb, ") at non-singleton dimension ",
             n - 1 - i);
    out[n - 1 - i] = sa == 1 ? sb : sa;
  }
  return out;
}

DimVector infer_size(IntArrayRef requested, int64_t numel) {
  DimVector out(requested);
  int64_t known = 1;
  ptrdiff_t infer_dim = -1;
  for (size_t i = 0; i < requested.size(); ++i) {
    if (requested[i] == -1) {
      WT_CHECK(infer_dim < 0, "only one dimension can be inferred");
      infer_dim = ptrdiff_t(i);
    } else {
      WT_CHECK(requested[i] >= 0, "invalid shape dimension ", requested[i]);
      known *= requested[i];
    }
  }
  if (infer_dim >= 0) {
    // A -1 cannot be inferred against zero known elements (it would be ambiguous).
    WT_CHECK(known != 0 && numel % known == 0, "shape '", requested,
             "' is invalid for input of size ", numel);
    out[size_t(infer_dim)] = numel / known;
    return out;
  }
  WT_CHECK(known == numel, "shape '", requested, "' is invalid for input of size ", numel);
  return out;
}

bool compute_view_strides(IntArrayRef old_sizes, IntArrayRef old_strides, IntArrayRef new_sizes,
                          DimVector* new_strides) {
  new_strides->assign(new_sizes);
  if (old_sizes.empty()) {
    for (auto& s : *new_strides) s = 1;
    return true;
  }
  const int64_t n = numel(old_sizes);
  if (n == 0) {
    if (old_sizes.equals(new_sizes)) {
      new_strides->assign(old_strides);
    } else {
      *new_strides = contiguous_strides(new_sizes);
    }
    return true;
  }
  // Walk the old dims from the innermost, in chunks of dims that are contiguous with each
  // other; each chunk must be covered exactly by a run of new dims.
  ptrdiff_t view_d = ptrdiff_t(new_sizes.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (ptrdiff_t tensor_d = ptrdiff_t(old_sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    tensor_numel *= old_sizes[size_t(tensor_d)];
    const bool chunk_ends =
        tensor_d == 0 || (old_sizes[size_t(tensor_d - 1)] != 1 &&
                          old_strides[size_t(tensor_d - 1)] != tensor_numel * chunk_base_stride);
    if (!chunk_ends) continue;
    while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[size_t(view_d)] == 1)) {
      (*new_strides)[size_t(view_d)] = view_numel * chunk_base_stride;
      view_numel *= new_sizes[size_t(view_d)];
      --view_d;
    }
    if (view_numel != tensor_numel) return false;
    if (tensor_d > 0) {
      chunk_base_stride = old_strides[size_t(tensor_d - 1)];
      tensor_numel = 1;
      view_numel = 1;
    }
  }
  return view_d == -1;
}

}  // namespace shape
}  // namespace webtorch
