// sgn(self) = (x > 0) - (x < 0), 0 at 0 and at NaN (as torch's sgn), and SgnBackward0, whose
// gradient is zero (torch 1.13 returns an unallocated zero tensor; here real zeros). abs's
// backward multiplies by it, so the second derivative of abs is a defined zero.

#include "core/grad_mode.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SgnBackward0 : Node {
  std::string name() const override { return "SgnBackward0"; }
  variable_list apply(variable_list&& grads) override { return {zeros_like(grads[0])}; }
};
}  // namespace

Tensor sgn(const Tensor& self) {
  auto node = autograd::make_node<SgnBackward0>({&self});
  Tensor out = [&] {
    AutoGradMode unrecorded(false);  // the node above is this op's only record
    return sub(to_dtype(gt(self, Scalar(0.0)), self.dtype()), to_dtype(lt(self, Scalar(0.0)), self.dtype()));
  }();
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
