// var and std (std_dev: `std` would shadow the namespace in reading) over dims with a correction (PyTorch 1.13's var.correction: the sum of squared
// deviations divided by max(0, N - correction); unbiased is correction 1), with VarBackward0
// and StdBackward0 written as torch's var_backward / std_backward in recordable ops:
//   var: (2 / (N - correction)) * grad * (self - self.mean(dims, keepdim=true))
//   std: var_backward(grad / (2 * result), masked to 0 where result == 0)
// The value is two passes (mean, then squared deviations), not Welford's one.

#include <algorithm>

#include "autograd/ops/reduced_dims.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"

namespace webtorch {

namespace {
struct VarStdNode : Node {
  void release_variables() override {
    self_.reset_data();
    result_.reset_data();
  }
  // var_backward for a gradient of var's (reduced) shape.
  Tensor var_backward(const Tensor& grad) {
    const Tensor self = self_.unpack(this);
    const Tensor g = keep_reduced_dims(grad, dims_, self.dim(), keepdim_);
    const Tensor centered = sub(self, mean(self, dims_.list, true));
    return mul(mul(g, Scalar(2.0 / (double(dims_.count) - correction_))), centered);
  }
  SavedVariable self_, result_;
  ReducedDims dims_;
  double correction_ = 1;
  bool keepdim_ = false;
};

struct VarBackward0 : VarStdNode {
  std::string name() const override { return "VarBackward0"; }
  variable_list apply(variable_list&& grads) override { return {var_backward(grads[0])}; }
};

struct StdBackward0 : VarStdNode {
  std::string name() const override { return "StdBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor result = result_.unpack(this);
    const Tensor grad_var = where(eq(result, Scalar(0.0)), Scalar(0.0), div(grads[0], mul(result, Scalar(2))));
    return {var_backward(grad_var)};
  }
};

template <class NodeT>
Tensor var_or_std(const Tensor& self, const std::optional<DimVector>& dims, double correction, bool keepdim,
                  bool take_sqrt) {
  WT_CHECK(is_floating(self.dtype()), "std and var only support floating point and complex dtypes");
  const ReducedDims r = reduced_dims(self, dims);
  auto node = autograd::make_node<NodeT>({&self});
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    const Tensor centered = sub(self, mean(self, r.list, true));
    const Tensor squares = sum(mul(centered, centered), r.list, keepdim);
    const Tensor variance = div(squares, Scalar(std::max(0.0, double(r.count) - correction)));
    return take_sqrt ? sqrt(variance) : variance;
  }();
  if (node) {
    node->self_ = SavedVariable(self, false);
    node->dims_ = r;
    node->correction_ = correction;
    node->keepdim_ = keepdim;
    autograd::set_history(out, node);
    if (take_sqrt) node->result_ = SavedVariable(out, true);
  }
  return out;
}
}  // namespace

Tensor var(const Tensor& self, const std::optional<DimVector>& dims, double correction, bool keepdim) {
  return var_or_std<VarBackward0>(self, dims, correction, keepdim, false);
}

Tensor std_dev(const Tensor& self, const std::optional<DimVector>& dims, double correction, bool keepdim) {
  return var_or_std<StdBackward0>(self, dims, correction, keepdim, true);
}

}  // namespace webtorch
