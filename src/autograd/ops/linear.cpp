// addmm (AddmmBackward0) and linear, composed as PyTorch 1.13's at::linear composes it so
// that the grad_fn names match: 2-D input with bias -> AddmmBackward0; contiguous 3-D input
// with bias -> ViewBackward0 (addmm on the flattened rows); otherwise matmul(input, weight^T)
// then an in-place add_ of the bias (AddBackward0) or matmul's own node.

#include "core/dispatch_below_autograd.h"
#include "kernels/matmul.h"
#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

struct AddmmBackward0 : Node {
  std::string name() const override { return "AddmmBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(3);
    if (should_compute_output(0)) {
      const Tensor gs = beta_ == 1.0 ? g : mul(g, Scalar(beta_, beta_kind_));
      out[0] = sum_to(gs, self_sizes_);
    }
    if (should_compute_output(1)) {
      // Note [mm gradients keep a column-major input's layout] (mm.cpp), as torch's addmm.
      const Tensor mat2 = mat2_.unpack(this);
      Tensor m1g = mat1_column_major_ ? t(mm(mat2, t(g))) : mm(g, t(mat2));
      out[1] = alpha_ == 1.0 ? m1g : mul(m1g, Scalar(alpha_, alpha_kind_));
    }
    if (should_compute_output(2)) {
      const Tensor mat1 = mat1_.unpack(this);
      Tensor m2g = mat2_column_major_ ? t(mm(t(g), mat1)) : mm(t(mat1), g);
      out[2] = alpha_ == 1.0 ? m2g : mul(m2g, Scalar(alpha_, alpha_kind_));
    }
    return out;
  }
  void release_variables() override {
    mat1_.reset_data();
    mat2_.reset_data();
  }
  SavedVariable mat1_, mat2_;
  bool mat1_column_major_ = false, mat2_column_major_ = false;
  DimVector self_sizes_;
  double beta_ = 1, alpha_ = 1;
  Scalar::Kind beta_kind_ = Scalar::Kind::Int, alpha_kind_ = Scalar::Kind::Int;
};

template <class T>
void add_scaled(T* out, const T* self, int64_t s_row, int64_t s_col, int64_t M, int64_t N, T beta, T alpha,
                bool unit) {
  for (int64_t i = 0; i < M; ++i) {
    T* o = out + i * N;
    const T* s = self + i * s_row;
    if (unit) {
      for (int64_t j = 0; j < N; ++j) o[j] = s[j * s_col] + o[j];
    } else {
      for (int64_t j = 0; j < N; ++j) o[j] = beta * s[j * s_col] + alpha * o[j];
    }
  }
}

}  // namespace

Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, Scalar beta, Scalar alpha) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<AddmmBackward0>({&self, &mat1, &mat2});
  if (node) {
    if (node->should_compute_output(2)) node->mat1_ = SavedVariable(mat1, false);
    if (node->should_compute_output(1)) node->mat2_ = SavedVariable(mat2, false);
    node->self_sizes_.assign(self.sizes());
    // Before the dim checks (recording comes first): only a matrix can be column-major.
    node->mat1_column_major_ = mat1.dim() == 2 && mat1.stride(0) == 1 && mat1.stride(1) == mat1.size(0);
    node->mat2_column_major_ = mat2.dim() == 2 && mat2.stride(0) == 1 && mat2.stride(1) == mat2.size(0);
    node->beta_ = beta.to_double();
    node->alpha_ = alpha.to_double();
    node->beta_kind_ = beta.kind();
    node->alpha_kind_ = alpha.kind();
  }
  WT_CHECK(mat1.dim() == 2, "mat1 must be a matrix, got ", mat1.dim(), "-D tensor");
  WT_CHECK(mat2.dim() == 2, "mat2 must be a matrix, got ", mat2.dim(), "-D tensor");
  WT_CHECK(mat1.size(1) == mat2.size(0), "mat1 and mat2 shapes cannot be multiplied (", mat1.size(0), "x",
           mat1.size(1), " and ", mat2.size(0), "x", mat2.size(1), ")");
  const int64_t M = mat1.size(0), N = mat2.size(1), K = mat1.size(1);
  // The bias as an [M, N] view (PyTorch's expand_size, with expand's message).
  const Tensor self_e = [&] {
    AutoDispatchBelowADInplaceOrView below;
    return expand(self, {M, N});
  }();
  WT_CHECK(self.dtype() == mat2.dtype(), "self and mat2 must have the same dtype");
  WT_CHECK(mat1.dtype() == mat2.dtype(), "mat1 and mat2 must have the same dtype");
  WT_CHECK(mat1.dtype() != ScalarType::Bool, "\"addmm_impl_cpu_\" not implemented for 'Bool'");

  Tensor out = empty({M, N}, mat1.dtype());
  const bool unit = beta.to_double() == 1.0 && alpha.to_double() == 1.0;
  if (mat1.dtype() == ScalarType::Float32) {
    kernels::gemm(M, N, K, mat1.data<float>(), mat1.stride(0), mat1.stride(1), mat2.data<float>(),
                  mat2.stride(0), mat2.stride(1), out.data<float>(), N);
    add_scaled(out.data<float>(), self_e.data<float>(), self_e.stride(0), self_e.stride(1), M, N,
               float(beta.to_double()), float(alpha.to_double()), unit);
  } else {
    kernels::gemm_int32(M, N, K, mat1.data<int32_t>(), mat1.stride(0), mat1.stride(1), mat2.data<int32_t>(),
                        mat2.stride(0), mat2.stride(1), out.data<int32_t>(), N);
    add_scaled(out.data<int32_t>(), self_e.data<int32_t>(), self_e.stride(0), self_e.stride(1), M, N,
               int32_t(beta.to_double()), int32_t(alpha.to_double()), unit);
  }
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  WT_CHECK(weight.dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", weight.dim(), "D");
  const Tensor wt = weight.dim() == 2 ? t(weight) : weight;
  if (input.dim() == 2 && bias.defined()) return addmm(bias, input, wt);
  if (bias.defined() && input.is_contiguous() && input.dim() == 3) {
    const int64_t n = input.size(0), l = input.size(1);
    const Tensor out = addmm(bias, view(input, {n * l, input.size(2)}), wt);
    return view(out, {n, l, out.size(1)});
  }
  Tensor out = matmul(input, wt);
  if (bias.defined()) add_(out, bias);
  return out;
}

}  // namespace webtorch
