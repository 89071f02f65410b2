#pragma once
// The operator set. One file per op (or per family sharing a backward) in autograd/ops/,
// holding the op, its checks, its autograd node and its backward formula; see
// autograd/ops/mul.cpp for the pattern. The non-differentiable operators of the value layer
// (factories, comparisons, argmax, helpers) come with ops/ops.h.

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/scalar.h"
#include "core/tensor.h"
#include "ops/ops.h"

namespace webtorch {

// ---- elementwise arithmetic (ops/add.cpp, sub.cpp, mul.cpp, div.cpp) ----
Tensor add(const Tensor& self, const Tensor& other, Scalar alpha = 1);
Tensor add(const Tensor& self, Scalar other, Scalar alpha = 1);
const Tensor& add_(const Tensor& self, const Tensor& other, Scalar alpha = 1);
const Tensor& add_(const Tensor& self, Scalar other, Scalar alpha = 1);
Tensor sub(const Tensor& self, const Tensor& other, Scalar alpha = 1);
Tensor sub(const Tensor& self, Scalar other, Scalar alpha = 1);
const Tensor& sub_(const Tensor& self, const Tensor& other, Scalar alpha = 1);
const Tensor& sub_(const Tensor& self, Scalar other, Scalar alpha = 1);
Tensor mul(const Tensor& self, const Tensor& other);
Tensor mul(const Tensor& self, Scalar other);
const Tensor& mul_(const Tensor& self, const Tensor& other);
const Tensor& mul_(const Tensor& self, Scalar other);
Tensor div(const Tensor& self, const Tensor& other);
Tensor div(const Tensor& self, Scalar other);
const Tensor& div_(const Tensor& self, const Tensor& other);
const Tensor& div_(const Tensor& self, Scalar other);
// ops/pow.cpp: PowBackward1 (tensor ** tensor), PowBackward0 (tensor ** number),
// PowBackward2 (number ** tensor).
Tensor pow(const Tensor& self, const Tensor& exponent);
Tensor pow(const Tensor& self, Scalar exponent);
Tensor pow(Scalar self, const Tensor& exponent);
// ops/maximum_minimum.cpp: elementwise, NaN-propagating (MaximumBackward0 / MinimumBackward0).
Tensor maximum(const Tensor& self, const Tensor& other);
Tensor minimum(const Tensor& self, const Tensor& other);

// ---- unary (ops/neg.cpp, relu.cpp, exp.cpp, abs.cpp, log.cpp, sqrt.cpp, tanh.cpp,
// sigmoid.cpp, gelu.cpp, clamp.cpp) ----
Tensor neg(const Tensor& self);
Tensor relu(const Tensor& self);
const Tensor& relu_(const Tensor& self);
Tensor exp(const Tensor& self);
Tensor abs(const Tensor& self);
Tensor log(const Tensor& self);
Tensor sqrt(const Tensor& self);
Tensor tanh(const Tensor& self);
Tensor sigmoid(const Tensor& self);
Tensor gelu(const Tensor& self);  // the exact erf form (approximate='none')
// At least one bound must be given (PyTorch's error otherwise).
Tensor clamp(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max);
const Tensor& clamp_(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max);
// Tensor bounds; an undefined Tensor is None.
Tensor clamp(const Tensor& self, const Tensor& min, const Tensor& max);
const Tensor& clamp_(const Tensor& self, const Tensor& min, const Tensor& max);

// ---- selection (ops/where.cpp): WhereBackward0 ----
Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other);
Tensor where(const Tensor& condition, Scalar self, const Tensor& other);
Tensor where(const Tensor& condition, const Tensor& self, Scalar other);
Tensor where(const Tensor& condition, Scalar self, Scalar other);

// ---- reductions (ops/sum.cpp, mean.cpp) ----
Tensor sum(const Tensor& self);
Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim = false);
Tensor mean(const Tensor& self);
Tensor mean(const Tensor& self, IntArrayRef dims, bool keepdim = false);
// ops/max_min.cpp: over everything (MaxBackward1 / MinBackward1), or over one dim giving
// (values, indices) with int32 indices (MaxBackward0 / MinBackward0).
Tensor max(const Tensor& self);
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim = false);
Tensor min(const Tensor& self);
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim = false);
// ops/softmax.cpp (SoftmaxBackward0, LogSoftmaxBackward0).
Tensor softmax(const Tensor& self, int64_t dim);
Tensor log_softmax(const Tensor& self, int64_t dim);

// ---- linear algebra (ops/matmul.cpp, mm.cpp) ----
Tensor matmul(const Tensor& self, const Tensor& other);
Tensor mm(const Tensor& self, const Tensor& mat2);
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor dot(const Tensor& self, const Tensor& other);
Tensor bmm(const Tensor& self, const Tensor& mat2);

// ---- views (ops/view.cpp, reshape.cpp, transpose.cpp, unsqueeze.cpp, expand.cpp, squeeze.cpp,
// permute.cpp, narrow.cpp, select.cpp, flatten.cpp) ----
Tensor view(const Tensor& self, IntArrayRef sizes);
Tensor reshape(const Tensor& self, IntArrayRef sizes);
Tensor unsafe_view(const Tensor& self, IntArrayRef sizes);
Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1);
// PyTorch's t(): transpose(0, 1) of a matrix, an alias of a 0-d or 1-d tensor (TBackward0).
Tensor t(const Tensor& self);
Tensor unsqueeze(const Tensor& self, int64_t dim);
Tensor squeeze(const Tensor& self);
Tensor squeeze(const Tensor& self, int64_t dim);
const Tensor& squeeze_(const Tensor& self, int64_t dim);
Tensor expand(const Tensor& self, IntArrayRef sizes);
Tensor permute(const Tensor& self, IntArrayRef dims);
Tensor narrow(const Tensor& self, int64_t dim, int64_t start, int64_t length);
// self[start:end:step] along dim; start and end already within [0, size], step > 0.
Tensor slice(const Tensor& self, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
Tensor select(const Tensor& self, int64_t dim, int64_t index);
// A reshape (a view when possible); returns self itself when start == end, as PyTorch.
Tensor flatten(const Tensor& self, int64_t start_dim = 0, int64_t end_dim = -1);

// ---- joining (ops/cat.cpp, stack.cpp): CatBackward0, StackBackward0 ----
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);

// ---- in-place fills and copies (ops/fill.cpp, copy.cpp) ----
const Tensor& zero_(const Tensor& self);
const Tensor& fill_(const Tensor& self, Scalar value);
const Tensor& fill_(const Tensor& self, const Tensor& value);
const Tensor& copy_(const Tensor& self, const Tensor& src);

// ---- dtype conversion (ops/to.cpp): ToCopyBackward0 ----
Tensor to(const Tensor& self, ScalarType dtype);

// ---- identity-like (ops/clone.cpp) ----
Tensor clone(const Tensor& self);
Tensor detach(const Tensor& self);
Tensor contiguous(const Tensor& self);

// ---- indexing (issue 14): autograd/ops/gather.cpp (and index_select), index_add.cpp, scatter.cpp,
// masked_fill.cpp, index.cpp, tensor_indexing.cpp; the offsets in ops/indexing.h ----
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
// index_add_(self, dim, index, source) (IndexAddBackward0): index_select's backward.
const Tensor& index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, Scalar value);
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
const Tensor& scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
const Tensor& scatter_(const Tensor& self, int64_t dim, const Tensor& index, Scalar value);
const Tensor& scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor masked_fill(const Tensor& self, const Tensor& mask, Scalar value);
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value);  // a 0-d value
const Tensor& masked_fill_(const Tensor& self, const Tensor& mask, Scalar value);
const Tensor& masked_fill_(const Tensor& self, const Tensor& mask, const Tensor& value);
// at::index / index_put_: one index tensor (int32 or bool) per leading dim, undefined for a
// dim left alone.
Tensor index(const Tensor& self, const std::vector<Tensor>& indices);
const Tensor& index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values,
                         bool accumulate = false);
// One entry of t[...] (autograd/ops/tensor_indexing.cpp): a number, a slice (a missing start
// or stop is None; JavaScript's null is the full slice) or a tensor.
struct TensorIndex {
  enum class Kind { Integer, Slice, Tensor };
  Kind kind = Kind::Slice;
  int64_t integer = 0;
  std::optional<int64_t> start, stop;
  int64_t step = 1;
  Tensor tensor;
};
// t[idx] and t[idx] = value as Python runs them; accumulate: index_put_'s accumulate.
Tensor get_item(const Tensor& self, const std::vector<TensorIndex>& idx);
const Tensor& set_item(const Tensor& self, const std::vector<TensorIndex>& idx, const Tensor& value,
                       bool accumulate = false);
const Tensor& set_item(const Tensor& self, const std::vector<TensorIndex>& idx, Scalar value,
                       bool accumulate = false);

// ---- helpers for backward formulas (autograd/ops/sum_to.cpp) ----
// grad summed over the dims along which shape was broadcast to grad's shape.
Tensor sum_to(const Tensor& grad, IntArrayRef shape);

// ---- issue 14: elementwise and reductions for transformers (ops/sin.cpp, cos.cpp, rsqrt.cpp,
// erf.cpp, softplus.cpp, silu.cpp, gelu_tanh.cpp, var_std.cpp, norm.cpp, logsumexp.cpp,
// any_all.cpp) ----
Tensor sin(const Tensor& self);
Tensor cos(const Tensor& self);
Tensor rsqrt(const Tensor& self);
Tensor erf(const Tensor& self);
Tensor log1p(const Tensor& self);
Tensor silu(const Tensor& self);
Tensor softplus(const Tensor& self, double beta = 1, double threshold = 20);
// approximate: "none" (gelu(self)) or "tanh"; anything else is PyTorch's error.
Tensor gelu(const Tensor& self, const std::string& approximate);
// No dims (nullopt or empty) reduces every dim; the divisor is max(0, N - correction).
Tensor var(const Tensor& self, const std::optional<DimVector>& dims, double correction = 1, bool keepdim = false);
Tensor std_dev(const Tensor& self, const std::optional<DimVector>& dims, double correction = 1, bool keepdim = false);
// The vector p-norm (p may be ±INFINITY or 0) over dims, every dim without (NormBackward1).
Tensor norm(const Tensor& self, double p = 2, const std::optional<DimVector>& dims = std::nullopt, bool keepdim = false);
Tensor logsumexp(const Tensor& self, IntArrayRef dims, bool keepdim = false);
Tensor any(const Tensor& self);
Tensor any(const Tensor& self, IntArrayRef dims, bool keepdim = false);
Tensor all(const Tensor& self);
Tensor all(const Tensor& self, IntArrayRef dims, bool keepdim = false);
// ---- shape and ordering (issue 14; ops/tril_triu.cpp, split.cpp, repeat.cpp, flip.cpp,
// roll.cpp, cumsum.cpp, sort_topk.cpp) ----
Tensor tril(const Tensor& self, int64_t diagonal = 0);
Tensor triu(const Tensor& self, int64_t diagonal = 0);
const Tensor& tril_(const Tensor& self, int64_t diagonal = 0);
const Tensor& triu_(const Tensor& self, int64_t diagonal = 0);
// Views of self, outputs of one node (SplitBackward0, SplitWithSizesBackward0, UnbindBackward0):
// Note [Multi-output views].
std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& self, int64_t dim = 0);
Tensor repeat(const Tensor& self, IntArrayRef repeats);
Tensor flip(const Tensor& self, IntArrayRef dims);
// dims empty: roll the flattened tensor (one shift).
Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims);
Tensor cumsum(const Tensor& self, int64_t dim);
// (values, int32 indices), Note [Tie order of sort and topk].
std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim = -1, bool descending = false);
// PyTorch's sort(stable=...): given (true or false), the node is SortBackward1.
std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending);
std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);

}  // namespace webtorch
