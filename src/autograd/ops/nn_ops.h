#pragma once
// The torch.nn.functional operators and the optimizers' update steps (one file each, like
// ops.h's): linear.cpp, conv2d.cpp, nll_loss.cpp, cross_entropy.cpp, mse_loss.cpp,
// dropout.cpp, optimizer_steps.cpp.

#include <string>

#include "autograd/ops/ops.h"

namespace webtorch {

// ---- linear (ops/linear.cpp) ----
// beta * self + alpha * (mat1 @ mat2), self broadcast to the product's shape (AddmmBackward0).
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, Scalar beta = 1, Scalar alpha = 1);
// input @ weight^T + bias, composed as at::linear composes it (AddmmBackward0 for 2-D input,
// ViewBackward0 for contiguous 3-D input, else matmul and add_). bias may be undefined.
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias);

// ---- conv2d (ops/conv2d.cpp): ConvolutionBackward0 ----
// Each of stride, dilation: 1 or 2 values; padding: 1 or 2 values (symmetric).
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups);
// padding='same' or 'valid'.
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation, int64_t groups);

// ---- conv_transpose2d (ops/conv_transpose2d.cpp): ConvolutionBackward0 ----
// weight [in, out / groups, KH, KW]; each int list 1 or 2 values.
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                        IntArrayRef padding, IntArrayRef output_padding, IntArrayRef dilation, int64_t groups);
// ---- binary cross entropy (ops/binary_cross_entropy.cpp); weight, pos_weight may be undefined ----
Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction);
Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, Reduction reduction);
// ---- activations (ops/leaky_relu.cpp, elu.cpp; op table entries) ----
Tensor leaky_relu(const Tensor& self, double negative_slope);
const Tensor& leaky_relu_(const Tensor& self, double negative_slope);
Tensor elu(const Tensor& self, double alpha);
// ---- transformer layers (ops/embedding.cpp, layer_norm.cpp) ----
// weight[indices] (EmbeddingBackward0); indices int32, padding_idx < 0 for none.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx);
// The scatter-add gradient of embedding (EmbeddingDenseBackwardBackward0 when recorded).
Tensor embedding_dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx);
// Normalised over the last normalized_shape.size() dims, one fused op (NativeLayerNormBackward0);
// weight and bias may be undefined.
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps);

// ---- losses (ops/nll_loss.cpp, cross_entropy.cpp, mse_loss.cpp) ----
// Class indices are int32 (webtorch's index dtype, where PyTorch uses int64). weight may be
// undefined.
Tensor nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                int64_t ignore_index);     // 1-D or 2-D input: NllLossBackward0
Tensor nll_loss2d(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                  int64_t ignore_index);   // 4-D input: NllLoss2DBackward0
Tensor nll_loss_nd(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                   int64_t ignore_index);  // any rank, as F.nll_loss
Tensor cross_entropy(const Tensor& self, const Tensor& target, const Tensor& weight, Reduction reduction,
                     int64_t ignore_index, double label_smoothing);
Tensor mse_loss(const Tensor& self, const Tensor& target, Reduction reduction);  // MseLossBackward0

// ---- random fills and dropout (ops/nn_random.cpp, Note [uniform_ and dropout streams]) ----
const Tensor& uniform_(const Tensor& self, double from, double to);
const Tensor& normal_(const Tensor& self, double mean, double std);
// F.dropout: in training, input * (bernoulli(1 - p) / (1 - p)) drawn from the default
// generator exactly as PyTorch 1.13's CPU path; input itself otherwise. dropout_ multiplies
// input in place.
Tensor dropout(const Tensor& input, double p, bool train);
Tensor dropout_(const Tensor& input, double p, bool train);

// ---- optimizer updates (ops/optimizer_steps.cpp) ----
// One parameter's update, in place, as torch.optim's single-tensor SGD / Adam compute it in
// float32, without recording (torch.optim steps under no_grad) and bumping param's version
// once. State tensors are created on the first step (momentum_buffer, exp_avg, ...); pass
// undefined tensors for state that does not exist yet and read them back.
struct SgdOptions {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
};
void sgd_step(const Tensor& param, const Tensor& grad, Tensor* momentum_buffer, const SgdOptions& o);

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool amsgrad = false, maximize = false;
};
// step: the step number after this update (1 on the first call).
void adam_step(const Tensor& param, const Tensor& grad, Tensor* exp_avg, Tensor* exp_avg_sq,
               Tensor* max_exp_avg_sq, double step, const AdamOptions& o);

}  // namespace webtorch
