// norm(self, p, dims, keepdim): the vector p-norm over dims (all of them without), as torch
// 1.13's norm.ScalarOpt_dim: p = inf / -inf the largest / smallest |x|, p = 0 the count of
// nonzeros, p = 1 sum |x|, p = 2 sqrt(sum x^2), else (sum |x|^p)^(1/p). NormBackward1 is torch's
// norm_backward in recordable ops (grad and the saved result unsqueezed back when !keepdim):
//   p = 0: zeros;  p = 1: sgn(x) grad;  p = 2: grad (x / norm), 0 where norm == 0;
//   p = ±inf: sgn(x) grad / #ties where |x| == norm (or is NaN), else 0;
//   p < 1: sgn(x) |x|^(p-1) (0 where x == 0) grad norm^(1-p);
//   p < 2: sgn(x) |x|^(p-1) grad / norm^(p-1);  else x |x|^(p-2) grad / norm^(p-1)
//   (those two 0 where norm == 0).

#include <cmath>

#include "autograd/ops/backward_ops.h"
#include "autograd/ops/reduced_dims.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"
#include "ops/reduction_utils.h"

namespace webtorch {

namespace {
Tensor as_float(const Tensor& mask, ScalarType dtype) { return to_dtype(mask, dtype); }
Tensor zero_where(const Tensor& cond, const Tensor& t) { return where(cond, Scalar(0.0), t); }

struct NormBackward1 : Node {
  std::string name() const override { return "NormBackward1"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    if (p_ == 0.0) return {zeros_like(self)};
    const Tensor grad = keep_reduced_dims(grads[0], dims_, self.dim(), keepdim_);
    if (p_ == 1.0) return {mul(sgn(self), grad)};
    const Tensor norm = keep_reduced_dims(result_.unpack(this), dims_, self.dim(), keepdim_);
    const Tensor norm_is_zero = eq(norm, Scalar(0.0));
    if (p_ == 2.0) return {mul(grad, zero_where(norm_is_zero, div(self, norm)))};
    const Tensor a = abs(self);
    if (std::isinf(p_)) {
      // The elements equal to the norm (or NaN) share the gradient equally.
      const Tensor ties = add(as_float(eq(a, norm), self.dtype()), sub(ones_like(self), as_float(eq(a, a), self.dtype())));
      return {mul(sgn(self), mul(div(grad, sum(ties, dims_.list, true)), ties))};
    }
    if (p_ < 1.0) {
      const Tensor scaled = mul(sgn(self), zero_where(eq(self, Scalar(0.0)), pow(a, Scalar(p_ - 1))));
      return {mul(mul(scaled, grad), pow(norm, Scalar(1 - p_)))};
    }
    const Tensor scaled = p_ < 2.0 ? mul(sgn(self), pow(a, Scalar(p_ - 1))) : mul(self, pow(a, Scalar(p_ - 2)));
    return {mul(scaled, zero_where(norm_is_zero, div(grad, pow(norm, Scalar(p_ - 1)))))};
  }
  void release_variables() override {
    self_.reset_data();
    result_.reset_data();
  }
  SavedVariable self_, result_;
  ReducedDims dims_;
  double p_ = 2;
  bool keepdim_ = false;
};

// The largest (or smallest) element over the masked dims, keeping them as size 1.
Tensor extreme_over(const Tensor& t, const ReducedDims& r, bool largest) {
  Tensor out = t;
  for (int64_t d : r.list) out = std::get<0>(largest ? max(out, d, true) : min(out, d, true));
  return out;
}

Tensor norm_value(const Tensor& self, double p, const ReducedDims& r, bool keepdim) {
  const Tensor a = abs(self);
  if (std::isinf(p)) {
    if (self.numel() == 0) return sum(a, r.list, keepdim);  // torch 1.13 gives 0
    const Tensor e = extreme_over(a, r, p > 0);
    return keepdim ? e : reshape(e, reduced_shape(self.sizes(), r.mask, false));
  }
  if (p == 0.0) return sum(to_dtype(to_dtype(self, ScalarType::Bool), self.dtype()), r.list, keepdim);  // x != 0
  if (p == 1.0) return sum(a, r.list, keepdim);
  if (p == 2.0) return sqrt(sum(mul(self, self), r.list, keepdim));
  return pow(sum(pow(a, Scalar(p)), r.list, keepdim), Scalar(1.0 / p));
}
}  // namespace

Tensor norm(const Tensor& self, double p, const std::optional<DimVector>& dims, bool keepdim) {
  WT_CHECK(is_floating(self.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
           torch_name(self.dtype()), " instead.");
  const ReducedDims r = reduced_dims(self, dims);
  auto node = autograd::make_node<NormBackward1>({&self});
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    return norm_value(self, p, r, keepdim);
  }();
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->dims_ = r;
    node->p_ = p;
    node->keepdim_ = keepdim;
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace webtorch
