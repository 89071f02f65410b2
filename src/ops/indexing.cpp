// Offsets of the indexing ops (Note [Indexing as element offsets]) and the two loops that
// read and write them.

#include "ops/indexing.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/shape.h"
#include "core/str.h"
#include "ops/ops.h"

namespace webtorch {
namespace native {

namespace {

// PyTorch's ensure_nonempty_dim / ensure_nonempty_size: a 0-d tensor counts as one element
// along one dim in gather and scatter.
DimVector nonempty_sizes(const Tensor& t) { return t.dim() == 0 ? DimVector{1} : DimVector(t.sizes()); }
DimVector nonempty_strides(const Tensor& t) { return t.dim() == 0 ? DimVector{1} : DimVector(t.strides()); }

// The int32 values of an index tensor, row-major.
std::vector<int64_t> index_values(const Tensor& index) {
  const Tensor c = contiguous_clone(index);
  const int32_t* p = c.data<int32_t>();
  return std::vector<int64_t>(p, p + c.numel());
}

// Calls fn(coords) for every position of shape, row-major.
template <class Fn>
void for_each_position(IntArrayRef shape, Fn&& fn) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  if (n == 0) return;
  DimVector coords(shape);
  for (auto& c : coords) c = 0;
  for (int64_t i = 0; i < n; ++i) {
    fn(coords);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++coords[size_t(d)] < shape[size_t(d)]) break;
      coords[size_t(d)] = 0;
    }
  }
}

// scatter_shape_check / gather_shape_check of PyTorch 1.13.
void check_dim_shapes(bool gather, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  const DimVector ss = nonempty_sizes(self), is = nonempty_sizes(index);
  WT_CHECK(ss.size() == is.size(), "Index tensor must have the same number of dimensions as ",
           gather ? "input" : "self", " tensor");
  if (gather) {
    for (size_t d = 0; d < ss.size(); ++d)
      WT_CHECK(int64_t(d) == dim || is[d] <= ss[d], "Size does not match at dimension ", int64_t(d),
               " expected index ", index.sizes(), " to be smaller than self ", self.sizes(),
               " apart from dimension ", dim);
    return;
  }
  bool wrong = false;
  for (size_t d = 0; d < ss.size(); ++d) wrong = wrong || (int64_t(d) != dim && is[d] > ss[d]);
  if (!wrong && src.defined()) {
    // torch 1.13 reads src.size(d) for every dim of self: a src with fewer dims gets the
    // dim-range error of that read.
    for (size_t d = 0; d < ss.size() && !wrong; ++d)
      wrong = is[d] > (src.dim() == 0 ? 1 : src.size(shape::wrap_dim(int64_t(d), src.dim())));
  }
  if (src.defined())
    WT_CHECK(!wrong, "Expected index ", index.sizes(), " to be smaller than self ", self.sizes(),
             " apart from dimension ", dim, " and to be smaller size than src ", src.sizes());
  else
    WT_CHECK(!wrong, "Expected index ", index.sizes(), " to be smaller than self ", self.sizes(),
             " apart from dimension ", dim);
}

}  // namespace

Positions dim_positions(const char* op, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  const bool gather = std::string(op) == "gather";
  Positions p;
  p.shape.assign(index.sizes());
  // PyTorch checks nothing about an empty index (its result is empty).
  if (index.numel() == 0) return p;
  WT_CHECK(index.dtype() == ScalarType::Int32, op, "(): Expected dtype int64 for index");
  if (src.defined())
    WT_CHECK(self.dtype() == src.dtype(), op, "(): Expected self.dtype to be equal to src.dtype");
  check_dim_shapes(gather, self, dim, index, src);
  const DimVector strides = nonempty_strides(self);
  const int64_t size = nonempty_sizes(self)[size_t(dim)];
  const std::vector<int64_t> values = index_values(index);
  p.offsets.reserve(values.size());
  size_t k = 0;
  for_each_position(nonempty_sizes(index), [&](const DimVector& c) {
    const int64_t v = values[k++];
    WT_CHECK(v >= 0 && v < size, "index ", v, " is out of bounds for dimension ", dim, " with size ", size);
    int64_t off = v * strides[size_t(dim)];
    for (size_t d = 0; d < c.size(); ++d)
      if (int64_t(d) != dim) off += c[d] * strides[d];
    p.offsets.push_back(off);
  });
  return p;
}

Positions select_positions(const Tensor& self, int64_t dim, const Tensor& index) {
  WT_CHECK(index.dim() <= 1, "index_select(): Index is supposed to be a vector");
  WT_CHECK(index.dtype() == ScalarType::Int32, "index_select(): Expected dtype int32 or int64 for index");
  const std::vector<int64_t> values = index_values(index);
  Positions p;
  if (self.dim() == 0) {
    WT_CHECK(values.size() == 1, "index_select(): Index to scalar can have only 1 value, got ",
             int64_t(values.size()), " value(s)");
  } else {
    p.shape.assign(self.sizes());
    p.shape[size_t(dim)] = int64_t(values.size());
  }
  const DimVector strides = nonempty_strides(self);
  const int64_t size = nonempty_sizes(self)[size_t(dim)];
  for (int64_t v : values) WT_CHECK(v >= 0 && v < size, "index out of range in self");
  for_each_position(p.shape, [&](const DimVector& c) {
    int64_t off = 0;
    for (size_t d = 0; d < c.size(); ++d) off += (int64_t(d) == dim ? values[size_t(c[d])] : c[d]) * strides[d];
    p.offsets.push_back(off);
  });
  if (self.dim() == 0) p.offsets.push_back(0);
  return p;
}

std::vector<Tensor> expand_index_tensors(const Tensor& self, const std::vector<Tensor>& indices) {
  for (const Tensor& t : indices)
    WT_CHECK(!t.defined() || t.dtype() == ScalarType::Int32 || t.dtype() == ScalarType::Bool,
             "tensors used as indices must be long, byte or bool tensors");
  std::vector<Tensor> out;
  for (const Tensor& t : indices) {
    if (!t.defined() || t.dtype() != ScalarType::Bool) {
      out.push_back(t);
      continue;
    }
    // A mask covers mask.dim() dims of self from here: its nonzero() positions, one index
    // tensor per dim.
    const int64_t first = int64_t(out.size());
    for (int64_t j = 0; j < t.dim(); ++j) {
      WT_CHECK(first + j < self.dim(), "too many indices for tensor of dimension ", self.dim());
      WT_CHECK(t.size(j) == self.size(first + j), "The shape of the mask ", t.sizes(), " at index ", j,
               " does not match the shape of the indexed tensor ", self.sizes(), " at index ", first + j);
    }
    const Tensor mask = contiguous_clone(t);
    const bool* m = mask.data<bool>();
    std::vector<DimVector> hits;
    for_each_position(mask.sizes(), [&](const DimVector& c) {
      if (*m++) hits.push_back(c);
    });
    for (int64_t j = 0; j < t.dim(); ++j) {
      Tensor idx = empty({int64_t(hits.size())}, ScalarType::Int32);
      for (size_t h = 0; h < hits.size(); ++h) idx.data<int32_t>()[h] = int32_t(hits[h][size_t(j)]);
      out.push_back(idx);
    }
    // A 0-d mask (Python's x[True]) is handled by the caller, which unsqueezes.
  }
  return out;
}

Positions advanced_positions(const Tensor& self, const std::vector<Tensor>& indices) {
  WT_CHECK(int64_t(indices.size()) <= self.dim(), "too many indices for tensor of dimension ", self.dim(),
           " (got ", int64_t(indices.size()), ")");
  std::vector<int64_t> dims;  // the indexed dims
  for (size_t k = 0; k < indices.size(); ++k)
    if (indices[k].defined()) dims.push_back(int64_t(k));
  WT_CHECK(!dims.empty(), "index(): expected at least one index tensor");
  DimVector b(indices[size_t(dims[0])].sizes());
  bool ok = true;
  for (int64_t k : dims) {
    const IntArrayRef s = indices[size_t(k)].sizes();
    // (shape::broadcast_shapes would throw its own text.)
    DimVector next;
    const size_t n = std::max(b.size(), s.size());
    for (size_t i = 0; i < n && ok; ++i) {
      const int64_t x = i < n - b.size() ? 1 : b[i - (n - b.size())];
      const int64_t y = i < n - s.size() ? 1 : s[i - (n - s.size())];
      ok = x == y || x == 1 || y == 1;
      next.push_back(x == 1 ? y : x);
    }
    if (ok) b = next;
  }
  if (!ok) {
    std::string shapes;
    for (int64_t k : dims) shapes += (shapes.empty() ? "" : ", ") + str(indices[size_t(k)].sizes());
    throw_error(str("shape mismatch: indexing tensors could not be broadcast together with shapes ", shapes));
  }
  // The index values, broadcast to b, wrapped and checked.
  std::vector<std::vector<int64_t>> values;
  // torch's index kernel names the n-th indexed dim "dimension n".
  for (size_t n = 0; n < dims.size(); ++n) {
    std::vector<int64_t> v = index_values(broadcast_to(indices[size_t(dims[n])], b));
    const int64_t size = self.size(dims[n]);
    for (int64_t& x : v) {
      WT_CHECK(x >= -size && x < size, "index ", x, " is out of bounds for dimension ", int64_t(n), " with size ", size);
      if (x < 0) x += size;
    }
    values.push_back(std::move(v));
  }
  // Result dims: -1 - j for broadcast dim j, else the self dim it walks.
  const bool adjacent = dims.back() - dims.front() + 1 == int64_t(dims.size());
  std::vector<int64_t> kinds;
  auto push_b = [&] {
    for (size_t j = 0; j < b.size(); ++j) kinds.push_back(-1 - int64_t(j));
  };
  if (!adjacent) push_b();
  for (int64_t d = 0; d < self.dim(); ++d) {
    const bool indexed = d < int64_t(indices.size()) && indices[size_t(d)].defined();
    if (adjacent && d == dims.front()) push_b();
    if (!indexed) kinds.push_back(d);
  }
  Positions p;
  for (int64_t k : kinds) p.shape.push_back(k < 0 ? b[size_t(-1 - k)] : self.size(k));
  for_each_position(p.shape, [&](const DimVector& c) {
    int64_t off = 0, bl = 0;
    for (size_t r = 0; r < kinds.size(); ++r) {
      if (kinds[r] < 0)
        bl = bl * b[size_t(-1 - kinds[r])] + c[r];
      else
        off += c[r] * self.stride(kinds[r]);
    }
    for (size_t i = 0; i < dims.size(); ++i) off += values[i][size_t(bl)] * self.stride(dims[i]);
    p.offsets.push_back(off);
  });
  return p;
}

Tensor broadcast_to(const Tensor& t, IntArrayRef shape) {
  DimVector st(shape.size(), 0);
  const size_t lead = shape.size() - size_t(t.dim());
  for (int64_t d = 0; d < t.dim(); ++d) st[lead + size_t(d)] = t.size(d) == shape[lead + size_t(d)] ? t.stride(d) : 0;
  return alias_with_geometry(t, shape, st, t.storage_offset());
}

Tensor take(const Tensor& src, const Positions& p) {
  Tensor out = empty(p.shape, src.dtype());
  const size_t item = itemsize(src.dtype());
  const char* from = src.impl()->data();
  char* to = out.impl()->data();
  for (size_t i = 0; i < p.offsets.size(); ++i) std::memcpy(to + i * item, from + p.offsets[i] * int64_t(item), item);
  return out;
}

void put(const Tensor& dst, const Positions& p, const Tensor& values, bool accumulate) {
  const Tensor v = values.is_contiguous() ? values : contiguous_clone(values);
  dispatch_dtype(dst.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* base = reinterpret_cast<T*>(dst.impl()->data());
    const T* from = reinterpret_cast<const T*>(v.impl()->data());
    for (size_t i = 0; i < p.offsets.size(); ++i) {
      T& d = base[p.offsets[i]];
      if (!accumulate)
        d = from[i];
      else if constexpr (std::is_same<T, bool>::value)
        d = d || from[i];
      else
        d = T(d + from[i]);
    }
  });
}

}  // namespace native
}  // namespace webtorch
