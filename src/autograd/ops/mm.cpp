// The matrix products matmul is built from, each with its node:
// mm (MmBackward0), mv (MvBackward0), dot (DotBackward0), bmm (BmmBackward0).

#include "kernels/copy.h"
#include "kernels/matmul.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

// torch dispatches on a's dtype (a bool a fails there), then the kernel finds b's dtype
// wrong. A product with no element or an empty inner dim returns (zeros) before both.
void check_types(const char* op, const Tensor& a, const Tensor& b, bool empty_product = false) {
  if (empty_product) return;
  WT_CHECK(a.dtype() != ScalarType::Bool, "\"", op, "\" not implemented for '", torch_name(a.dtype()), "'");
  WT_CHECK(a.dtype() == b.dtype(), "expected scalar type ", torch_name(a.dtype()),
           " but found ", torch_name(b.dtype()));
}

// out[M,N] = a[M,K] @ b[K,N] for 2-D (strided) a and b, of a's dtype.
void gemm_2d(const Tensor& out, const Tensor& a, const Tensor& b) {
  if (out.numel() == 0) return;
  if (a.size(1) == 0) {  // an empty inner dim: zeros, whatever the dtypes (check_types)
    kernels::copy(out, scalar_to_tensor(Scalar(0.0)));
    return;
  }
  if (a.dtype() == ScalarType::Float32) {
    kernels::gemm(a.size(0), b.size(1), a.size(1), a.data<float>(), a.stride(0), a.stride(1),
                  b.data<float>(), b.stride(0), b.stride(1), out.data<float>(), out.stride(0));
    return;
  }
  kernels::gemm_int32(a.size(0), b.size(1), a.size(1), a.data<int32_t>(), a.stride(0), a.stride(1),
                      b.data<int32_t>(), b.stride(0), b.stride(1), out.data<int32_t>(), out.stride(0));
}

Tensor mm_raw(const Tensor& a, const Tensor& b) {
  Tensor out = empty({a.size(0), b.size(1)}, a.dtype());
  gemm_2d(out, a, b);
  return out;
}

Tensor t2(const Tensor& m) { return t(m); }  // torch's formulas use .t(): TBackward0 under createGraph

struct MmBackward0 : Node {
  std::string name() const override { return "MmBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    const auto [self, mat2] =
        SavedVariable::unpack_in_order(this, self_, should_compute_output(1), mat2_, should_compute_output(0));
    // Note [mm gradients keep a column-major input's layout]
    // PyTorch's mm_mat1_backward/mm_mat2_backward compute the gradient of a column-major
    // input (strides [1, rows]) as the transpose of a product, so it arrives as a .t() view.
    if (should_compute_output(0))
      out[0] = self_column_major_ ? t2(mm(mat2, t2(g))) : mm(g, t2(mat2));
    if (should_compute_output(1))
      out[1] = mat2_column_major_ ? t2(mm(t2(g), self)) : mm(t2(self), g);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    mat2_.reset_data();
  }
  SavedVariable self_, mat2_;
  bool self_column_major_ = false, mat2_column_major_ = false;
};

bool column_major(const Tensor& m) { return m.stride(0) == 1 && m.stride(1) == m.size(0); }

struct MvBackward0 : Node {
  std::string name() const override { return "MvBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    // d self = g (outer) vec; d vec = self^T g
    // PyTorch's generated MvBackward0 unpacks vec before self.
    const auto [vec, self] =
        SavedVariable::unpack_in_order(this, vec_, should_compute_output(0), self_, should_compute_output(1));
    if (should_compute_output(0)) out[0] = mm(unsqueeze(g, 1), unsqueeze(vec, 0));
    if (should_compute_output(1)) out[1] = mv(t2(self), g);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    vec_.reset_data();
  }
  SavedVariable self_, vec_;
};

struct DotBackward0 : Node {
  std::string name() const override { return "DotBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    // PyTorch's generated DotBackward0 unpacks tensor before self.
    const auto [tensor, self] =
        SavedVariable::unpack_in_order(this, tensor_, should_compute_output(0), self_, should_compute_output(1));
    if (should_compute_output(0)) out[0] = mul(tensor, g);
    if (should_compute_output(1)) out[1] = mul(self, g);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    tensor_.reset_data();
  }
  SavedVariable self_, tensor_;
};

struct BmmBackward0 : Node {
  std::string name() const override { return "BmmBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    const auto [self, mat2] =
        SavedVariable::unpack_in_order(this, self_, should_compute_output(1), mat2_, should_compute_output(0));
    if (should_compute_output(0)) out[0] = bmm(g, transpose(mat2, 1, 2));
    if (should_compute_output(1)) out[1] = bmm(transpose(self, 1, 2), g);
    return out;
  }
  void release_variables() override {
    self_.reset_data();
    mat2_.reset_data();
  }
  SavedVariable self_, mat2_;
};

template <class NodeT>
std::shared_ptr<NodeT> record2(const Tensor& a, const Tensor& b, SavedVariable NodeT::*sa,
                               SavedVariable NodeT::*sb) {
  auto node = autograd::make_node<NodeT>({&a, &b});
  if (node) {
    if (node->should_compute_output(1)) (*node).*sa = SavedVariable(a, false);
    if (node->should_compute_output(0)) (*node).*sb = SavedVariable(b, false);
  }
  return node;
}

}  // namespace

Tensor mm(const Tensor& self, const Tensor& mat2) {
  WT_CHECK(self.dim() == 2, "self must be a matrix");
  WT_CHECK(mat2.dim() == 2, "mat2 must be a matrix");
  // Recording (which reads the inputs' grad_fn and refuses to save an inference tensor) comes
  // before the kernel's shape and dtype checks, as in PyTorch's autograd layer.
  auto node = record2<MmBackward0>(self, mat2, &MmBackward0::self_, &MmBackward0::mat2_);
  WT_CHECK(self.size(1) == mat2.size(0), "mat1 and mat2 shapes cannot be multiplied (",
           self.size(0), "x", self.size(1), " and ", mat2.size(0), "x", mat2.size(1), ")");
  if (node) {
    node->self_column_major_ = column_major(self);
    node->mat2_column_major_ = column_major(mat2);
  }
  check_types("addmm_impl_cpu_", self, mat2, self.size(0) * mat2.size(1) * self.size(1) == 0);
  Tensor out = mm_raw(self, mat2);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor mv(const Tensor& self, const Tensor& vec) {
  WT_CHECK(self.dim() == 2 && vec.dim() == 1, "vector + matrix @ vector expected, got ", 1, ", ",
           self.dim(), ", ", vec.dim());
  // Note [mv of inference tensors records through addmv_]
  // PyTorch's mv of two inference tensors skips its own autograd layer (Note [Autograd runs
  // only for normal tensors]) and runs addmv_ into a fresh normal tensor, whose autograd layer
  // does run: when either input requires grad it saves the other one, an inference tensor,
  // and refuses ("Inference tensors cannot be saved..."), before any size check. Nothing
  // records otherwise.
  if (self.is_inference() && vec.is_inference() && autograd::autograd_active() &&
      autograd::any_requires_grad({&self, &vec}))
    SavedVariable::check_savable(self.requires_grad() ? vec : self);  // raises
  auto node = record2<MvBackward0>(self, vec, &MvBackward0::self_, &MvBackward0::vec_);  // as mm
  WT_CHECK(self.size(1) == vec.size(0), "size mismatch, got ", self.size(0), ", ", self.size(0),
           "x", self.size(1), ",", vec.size(0));
  const bool empty_product = self.size(0) * self.size(1) == 0;
  check_types("addmv_impl_cpu", self, vec, empty_product);
  // torch 1.13 gives an empty product the vector's dtype (mm keeps self's).
  Tensor out = empty({self.size(0)}, empty_product ? vec.dtype() : self.dtype());
  gemm_2d(alias_with_geometry(out, {self.size(0), 1}, {1, 1}, 0), self,
          alias_with_geometry(vec, {vec.size(0), 1}, {vec.stride(0), 1}, vec.storage_offset()));
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor dot(const Tensor& self, const Tensor& other) {
  WT_CHECK(self.dim() == 1 && other.dim() == 1, "1D tensors expected, but got ", self.dim(),
           "D and ", other.dim(), "D tensors");
  auto node = record2<DotBackward0>(self, other, &DotBackward0::self_, &DotBackward0::tensor_);
  WT_CHECK(self.dtype() == other.dtype(),
           "dot : expected both vectors to have same dtype, but found ", torch_name(self.dtype()),
           " and ", torch_name(other.dtype()));
  WT_CHECK(self.numel() == other.numel(), "inconsistent tensor size, expected tensor [",
           self.numel(), "] and src [", other.numel(),
           "] to have the same number of elements, but got ", self.numel(), " and ",
           other.numel(), " elements respectively");
  check_types("dot", self, other);
  Tensor out = empty({}, self.dtype());
  gemm_2d(alias_with_geometry(out, {1, 1}, {1, 1}, 0),
          alias_with_geometry(self, {1, self.size(0)}, {0, self.stride(0)}, self.storage_offset()),
          alias_with_geometry(other, {other.size(0), 1}, {other.stride(0), 1}, other.storage_offset()));
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor bmm(const Tensor& self, const Tensor& mat2) {
  WT_CHECK(self.dim() == 3, "batch1 must be a 3D tensor");
  WT_CHECK(mat2.dim() == 3, "batch2 must be a 3D tensor");
  auto node = record2<BmmBackward0>(self, mat2, &BmmBackward0::self_, &BmmBackward0::mat2_);  // as mm
  WT_CHECK(self.size(0) == mat2.size(0) && self.size(2) == mat2.size(1),
           "Expected size for first two dimensions of batch2 tensor to be: [", self.size(0), ", ",
           self.size(2), "] but got: [", mat2.size(0), ", ", mat2.size(1), "].");
  const bool empty_product = self.numel() == 0 || mat2.numel() == 0;
  check_types("bmm", self, mat2, empty_product);
  const int64_t B = self.size(0), M = self.size(1), K = self.size(2), N = mat2.size(2);
  // torch 1.13 gives an empty product mat2's dtype (mm keeps self's).
  Tensor out = empty({B, M, N}, empty_product ? mat2.dtype() : self.dtype());
  for (int64_t i = 0; i < B; ++i)
    gemm_2d(alias_with_geometry(out, {M, N}, {N, 1}, i * M * N),
            alias_with_geometry(self, {M, K}, {self.stride(1), self.stride(2)}, self.storage_offset() + i * self.stride(0)),
            alias_with_geometry(mat2, {K, N}, {mat2.stride(1), mat2.stride(2)}, mat2.storage_offset() + i * mat2.stride(0)));
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
