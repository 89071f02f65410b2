// logsumexp(self, dims, keepdim), numerically stable as torch 1.13 computes it:
// m = amax(self, dims) with ±inf replaced by 0, log(sum(exp(self - m), dims)) + m. Integral
// inputs give float32. LogsumexpBackward0: grad * exp(self - result) (both unsqueezed back
// when !keepdim), in recordable ops.

#include <cmath>

#include "autograd/ops/reduced_dims.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"

namespace webtorch {

namespace {
struct LogsumexpBackward0 : Node {
  std::string name() const override { return "LogsumexpBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor self = self_.unpack(this);
    const Tensor grad = keep_reduced_dims(grads[0], dims_, self.dim(), keepdim_);
    const Tensor result = keep_reduced_dims(result_.unpack(this), dims_, self.dim(), keepdim_);
    return {mul(grad, exp(sub(self, result)))};
  }
  void release_variables() override {
    self_.reset_data();
    result_.reset_data();
  }
  SavedVariable self_, result_;
  ReducedDims dims_;
  bool keepdim_ = false;
};

Tensor logsumexp_value(const Tensor& x, const ReducedDims& r, bool keepdim) {
  if (x.numel() == 0) return log(sum(exp(x), r.list, keepdim));
  Tensor maxes = x;  // amax over the dims, kept as size 1
  for (int64_t d : r.list) maxes = std::get<0>(max(maxes, d, true));
  maxes = where(eq(abs(maxes), Scalar(INFINITY)), Scalar(0.0), maxes);
  const Tensor total = sum(exp(sub(x, maxes)), r.list, keepdim);
  return add(log(total), keepdim ? maxes : reshape(maxes, total.sizes()));
}
}  // namespace

Tensor logsumexp(const Tensor& self, IntArrayRef dims, bool keepdim) {
  auto node = autograd::make_node<LogsumexpBackward0>({&self});
  const ReducedDims r = reduced_dims(self, DimVector(dims));
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    return logsumexp_value(cast_to(self, float_op_type(self.dtype())), r, keepdim);
  }();
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->dims_ = r;
    node->keepdim_ = keepdim;
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

// torch 1.13 has no logsumexp without dims (the table's reduction form has the entry).
Tensor logsumexp(const Tensor&) {
  WT_CHECK(false, "logsumexp() received an invalid combination of arguments - got (), but expected (tuple of ints dim, bool keepdim)");
  return Tensor();
}

}  // namespace webtorch
