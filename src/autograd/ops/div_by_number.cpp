// Tensor / number as torch's C++ formulas divide (div.Scalar): DivBackward1, where a division
// by a JavaScript number records DivBackward0 (Python's wrapped-number tensor). Used by mean's
// backward and cross_entropy.

#include "core/dispatch_below_autograd.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct DivBackward1 : Node {
  std::string name() const override { return "DivBackward1"; }
  variable_list apply(variable_list&& grads) override { return {div_by_number(grads[0], other_)}; }
  double other_ = 1;
};
}  // namespace

Tensor div_by_number(const Tensor& self, double other) {
  auto node = autograd::make_node<DivBackward1>({&self});
  Tensor out = [&] {
    AutoDispatchBelowADInplaceOrView below;
    return div(self, Scalar(other));
  }();
  if (node) {
    node->other_ = other;
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
