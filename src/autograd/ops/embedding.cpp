// embedding (EmbeddingBackward0) and embedding_dense_backward (EmbeddingDenseBackwardBackward0),
// as PyTorch 1.13 names, checks and differentiates them: the gradient of a gather is a
// scatter-add into zeros of weight's shape, and the gradient of that scatter-add is the
// gather again (with padding_idx's rows zeroed), so every order is recorded.
// Indices are int32 (webtorch's index dtype, where PyTorch also takes int64).

#include "ops/embedding.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

struct EmbeddingBackward0 : Node {
  std::string name() const override { return "EmbeddingBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {embedding_dense_backward(grads[0], indices_.unpack(this), num_weights_, padding_idx_), Tensor()};
  }
  void release_variables() override { indices_.reset_data(); }
  SavedVariable indices_;
  int64_t num_weights_ = 0, padding_idx_ = -1;
};

struct EmbeddingDenseBackwardBackward0 : Node {
  std::string name() const override { return "EmbeddingDenseBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    // PyTorch's embedding_dense_double_backward: the gather of the incoming gradient, zero at
    // padding_idx.
    const Tensor indices = indices_.unpack(this);
    Tensor gg = embedding(grads[0], indices, -1);
    if (padding_idx_ >= 0) gg = mul(gg, native::embedding_padding_mask(indices, padding_idx_));
    return {gg, Tensor()};
  }
  void release_variables() override { indices_.reset_data(); }
  SavedVariable indices_;
  int64_t padding_idx_ = -1;
};

void check_indices(const Tensor& indices) {
  WT_CHECK(indices.dtype() == ScalarType::Int32,
           "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ",
           legacy_type_name(indices.dtype()), " instead (while checking arguments for embedding)");
}

// Every index in [0, num_weights): index_select's IndexError text.
void check_range(const Tensor& indices, int64_t num_weights) {
  const Tensor idx = indices.is_contiguous() ? indices : contiguous_clone(indices);
  const int32_t* ix = idx.data<int32_t>();
  for (int64_t i = 0; i < idx.numel(); ++i) WT_CHECK(ix[i] >= 0 && ix[i] < num_weights, "index out of range in self");
}

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx) {
  // Recording first (Note [The autograd layer checks before the kernel]): the node saves indices.
  auto node = autograd::make_node<EmbeddingBackward0>({&weight, &indices});
  if (node) node->indices_ = SavedVariable(indices, false);
  WT_CHECK(weight.dim() == 2, "'weight' must be 2-D");
  check_indices(indices);
  check_range(indices, weight.size(0));
  Tensor out = native::embedding_gather(weight, indices);
  if (node) {
    node->num_weights_ = weight.size(0);
    node->padding_idx_ = padding_idx;
    autograd::set_history(out, node);
  }
  return out;
}

Tensor embedding_dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx) {
  auto node = autograd::make_node<EmbeddingDenseBackwardBackward0>({&grad, &indices});
  if (node) {
    node->indices_ = SavedVariable(indices, false);
    node->padding_idx_ = padding_idx;
  }
  check_indices(indices);
  check_dispatch(grad.dtype() == ScalarType::Float32, "embedding_dense_backward", grad.dtype());
  Tensor out = native::embedding_scatter_add(grad, indices, num_weights, padding_idx);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
