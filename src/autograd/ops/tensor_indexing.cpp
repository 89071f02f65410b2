// t[idx] and t[idx] = v as Python runs them (torch 1.13's python_variable_indexing.cpp and
// TensorIndexing.h).
//
// Note [Indexing like Python]
// Numbers select (SelectBackward0), slices slice (SliceBackward0, even a full `:`), a 0-d
// int32 tensor selects, a 0-d bool tensor unsqueezes (UnsqueezeBackward0) and indexes with
// [0] or nothing; every other tensor is kept, at the dim it reached, for one at::index /
// index_put_ at the end (IndexBackward0, IndexPutBackward0). A mask advances that dim counter
// by one whatever its dims, as in torch. No index at all (Python's t[()]) is an alias
// (AliasBackward0). Writing without index tensors is copy_ (fill_ for a 0-d value) into the
// view the basic indices make.

#include <limits>

#include "autograd/recording.h"
#include "autograd/view_tracking.h"
#include "ops/indexing.h"

namespace webtorch {

namespace {
struct AliasBackward0 : Node {
  std::string name() const override { return "AliasBackward0"; }
  variable_list apply(variable_list&& grads) override { return {grads[0]}; }
};

Tensor alias(const Tensor& self) {
  autograd::collect_next_edges_first({&self});
  Tensor out = autograd::make_view(self, self.sizes(), self.strides(), self.storage_offset());
  return record_view<AliasBackward0>(self, out, [](AliasBackward0&) {});
}

Tensor apply_select(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim) {
  WT_CHECK(self.dim() > 0, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                           "C++ to convert a 0-dim tensor to a number");
  const int64_t size = self.size(dim);
  WT_CHECK(index >= -size && index < size, "index ", index, " is out of bounds for dimension ", real_dim,
           " with size ", size);
  return select(self, dim, index);
}

// at::slice's clamping of Python's slice bounds (a missing stop is PY_SSIZE_T_MAX).
Tensor apply_slice(const Tensor& self, int64_t dim, const TensorIndex& s) {
  WT_CHECK(s.step > 0, "step must be greater than zero");
  WT_CHECK(self.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  const int64_t size = self.size(dim);
  int64_t start = s.start.value_or(0), stop = s.stop.value_or(std::numeric_limits<int64_t>::max());
  if (start < 0) start += size;
  if (stop < 0) stop += size;
  start = start < 0 ? 0 : start >= size ? size : start;
  stop = stop < start ? start : stop >= size ? size : stop;
  return slice(self, dim, start, stop, s.step);
}

int64_t specified_dims(const std::vector<TensorIndex>& idx) {
  int64_t n = 0;
  for (const TensorIndex& x : idx)
    n += x.kind == TensorIndex::Kind::Tensor && x.tensor.dtype() == ScalarType::Bool ? x.tensor.dim() : 1;
  return n;
}

// The views of the basic indices; the index tensors in `tensors`, at the dims they reached.
Tensor apply_slicing(const Tensor& self, const std::vector<TensorIndex>& idx, std::vector<Tensor>& tensors) {
  WT_CHECK(specified_dims(idx) <= self.dim(), "too many indices for tensor of dimension ", self.dim());
  Tensor result = self;
  int64_t dim = 0;
  auto record = [&](const Tensor& t) {
    tensors.resize(size_t(dim + 1));
    tensors[size_t(dim++)] = t;
  };
  for (size_t i = 0; i < idx.size(); ++i) {
    const TensorIndex& x = idx[i];
    if (x.kind == TensorIndex::Kind::Integer) {
      result = apply_select(result, dim, x.integer, int64_t(i));
    } else if (x.kind == TensorIndex::Kind::Slice) {
      result = apply_slice(result, dim++, x);
    } else if (x.tensor.dim() == 0 && x.tensor.dtype() == ScalarType::Int32) {
      result = apply_select(result, dim, int64_t(item(x.tensor)), int64_t(i));
    } else if (x.tensor.dim() == 0 && x.tensor.dtype() == ScalarType::Bool) {
      result = unsqueeze(result, dim);
      record(item(x.tensor) != 0 ? zeros({1}, ScalarType::Int32) : empty({0}, ScalarType::Int32));
    } else {
      record(x.tensor);
    }
  }
  return result;
}

// Python's single-index fast paths (t[2], t[1:3]) and the tuple path.
Tensor sliced_view(const Tensor& self, const std::vector<TensorIndex>& idx, std::vector<Tensor>& tensors) {
  if (idx.empty()) return alias(self);
  if (idx.size() == 1 && idx[0].kind == TensorIndex::Kind::Integer) return apply_select(self, 0, idx[0].integer, 0);
  if (idx.size() == 1 && idx[0].kind == TensorIndex::Kind::Slice) return apply_slice(self, 0, idx[0]);
  return apply_slicing(self, idx, tensors);
}

// Python's leading 1s of a value dropped (slicePrefix1sSize), so [1, 3] fits a [3] view.
Tensor strip_leading_ones(const Tensor& value) {
  int64_t k = 0;
  while (k < value.dim() && value.size(k) == 1) ++k;
  if (k == 0) return value;
  return view(value, IntArrayRef(value.sizes().data() + k, size_t(value.dim() - k)));
}

// copy_to of TensorIndexing.h; accumulate adds instead (webtorch's indexPut_ with only basic
// indices, which PyTorch's index_put_ cannot express).
void copy_to(const Tensor& dst, const Tensor& src, bool accumulate) {
  if (accumulate) {
    add_(dst, src);
  } else if (std::equal(dst.sizes().begin(), dst.sizes().end(), src.sizes().begin(), src.sizes().end())) {
    copy_(dst, src);
  } else if (src.dim() == 0) {
    fill_(dst, src);
  } else {
    copy_(dst, expand(strip_leading_ones(src), dst.sizes()));
  }
}
}  // namespace

Tensor get_item(const Tensor& self, const std::vector<TensorIndex>& idx) {
  std::vector<Tensor> tensors;
  const Tensor result = sliced_view(self, idx, tensors);
  return tensors.empty() ? result : index(result, tensors);
}

const Tensor& set_item(const Tensor& self, const std::vector<TensorIndex>& idx, const Tensor& value, bool accumulate) {
  std::vector<Tensor> tensors;
  // Python's t[()] = v writes into t itself (the alias is only for reading).
  const Tensor sliced = idx.empty() ? self : sliced_view(self, idx, tensors);
  if (tensors.empty())
    copy_to(sliced, value, accumulate);
  else
    index_put_(sliced, tensors, strip_leading_ones(value), accumulate);
  return self;
}

// Python turns a number into a 0-d tensor of self's dtype (valueToTensor).
const Tensor& set_item(const Tensor& self, const std::vector<TensorIndex>& idx, Scalar value, bool accumulate) {
  return set_item(self, idx, full({}, value, self.dtype()), accumulate);
}

}  // namespace webtorch
