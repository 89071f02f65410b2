// matmul: composed of dot / mv / mm / bmm and views exactly as PyTorch 1.13 composes it,
// so the grad_fn names match (MmBackward0, SqueezeBackward3, UnsafeViewBackward0, ...).

#include "autograd/recording.h"

namespace webtorch {

namespace {

// Whether tensor1's batch dims can be folded into its rows so that one mm does the work.
bool should_fold(const Tensor& t1, int64_t dim2) {
  const int64_t dim1 = t1.dim();
  if (!(dim1 >= 3 && (dim2 == 1 || dim2 == 2))) return false;
  // A [b, m, k] tensor whose last two dims are transposed is better handled by bmm.
  if (dim1 == 3 && dim2 == 2 && t1.stride(2) != 1 && t1.stride(0) == t1.size(1) * t1.size(2))
    return false;
  return true;
}

Tensor mT(const Tensor& t) { return transpose(t, -2, -1); }

}  // namespace

Tensor matmul(const Tensor& tensor1, const Tensor& tensor2) {
  const int64_t dim1 = tensor1.dim(), dim2 = tensor2.dim();
  WT_CHECK(dim1 != 0 && dim2 != 0, "both arguments to matmul need to be at least 1D, but they are ",
           dim1, "D and ", dim2, "D");
  if (dim1 == 1 && dim2 == 1) return dot(tensor1, tensor2);
  if (dim1 == 2 && dim2 == 1) return mv(tensor1, tensor2);
  if (dim1 == 1 && dim2 == 2) {
    Tensor out = mm(unsqueeze(tensor1, 0), tensor2);
    squeeze_(out, 0);
    return out;
  }
  if (dim1 == 2 && dim2 == 2) return mm(tensor1, tensor2);

  if (should_fold(tensor1, dim2) || should_fold(tensor2, dim1)) {
    const bool transposed = dim2 > dim1;
    const Tensor t1 = transposed ? mT(tensor2) : tensor1;
    const Tensor t2 = !transposed ? tensor2 : (dim1 == 2 ? transpose(tensor1, 0, 1) : tensor1);
    // t1 has >= 3 dims, t2 is a vector or a matrix.
    DimVector output_shape(t1.sizes());
    const int64_t last = output_shape.back();
    output_shape.erase(output_shape.size() - 1);
    int64_t folded = 1;
    for (int64_t s : output_shape) folded *= s;
    const bool t2_is_matrix = t2.dim() == 2;
    if (t2_is_matrix) output_shape.push_back(t2.size(1));
    const Tensor t1_folded = reshape(t1, {folded, last});
    if (t2_is_matrix) {
      const Tensor output = unsafe_view(mm(t1_folded, t2), output_shape);
      return transposed ? contiguous(mT(output)) : output;
    }
    return unsafe_view(mv(t1_folded, t2), output_shape);
  }

  // Batched: broadcast the batch dims, flatten them, bmm, and unflatten.
  const int64_t n = dim1 > 1 ? tensor1.size(-2 + dim1) : 1;
  const int64_t m1 = tensor1.size(dim1 - 1);
  const IntArrayRef batch1(tensor1.sizes().data(), size_t(std::max<int64_t>(dim1 - 2, 0)));
  const int64_t m2 = dim2 > 1 ? tensor2.size(dim2 - 2) : tensor2.size(0);
  const int64_t p = dim2 > 1 ? tensor2.size(dim2 - 1) : 1;
  const IntArrayRef batch2(tensor2.sizes().data(), size_t(std::max<int64_t>(dim2 - 2, 0)));
  DimVector output_shape = shape::broadcast_shapes(batch1, batch2);
  int64_t batch = 1;
  for (int64_t s : output_shape) batch *= s;

  DimVector expand1(output_shape);
  expand1.push_back(n);
  expand1.push_back(m1);
  const Tensor t1 = reshape(expand(tensor1, expand1), {batch, n, m1});
  const bool vector_rhs = dim2 == 1;
  DimVector expand2(output_shape);
  expand2.push_back(m2);
  if (!vector_rhs) expand2.push_back(p);
  Tensor t2 = expand(tensor2, expand2);
  t2 = vector_rhs ? unsqueeze(reshape(t2, {batch, m2}), 2) : reshape(t2, {batch, m2, p});
  if (dim1 > 1) output_shape.push_back(n);
  if (dim2 > 1) output_shape.push_back(p);
  // bmm checks m1 == m2 (after recording, as PyTorch's autograd layer does).
  Tensor product = bmm(t1, t2);
  if (vector_rhs) product = squeeze(product, -1);
  return unsafe_view(product, output_shape);
}

}  // namespace webtorch
