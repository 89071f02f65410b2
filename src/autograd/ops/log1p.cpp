// log1p and Log1PBackward0 (grad / (self + 1), PyTorch's log1p_backward). Integral and bool
// inputs give float32. The forward has no SIMD form: it runs the float lane std::log1p.

#include <cmath>

#include "autograd/recording.h"

namespace webtorch {

namespace {
struct Log1PBackward0 : Node {
  std::string name() const override { return "Log1PBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {div(grads[0], add(self_.unpack(this), Scalar(1)))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};

float log1p_lane(float x) { return std::log1p(x); }
}  // namespace

Tensor log1p(const Tensor& self) {
  auto node = autograd::make_node<Log1PBackward0>({&self});
  if (node) node->self_ = SavedVariable(self, false);
  Tensor out = unary_out_of_place(log1p_lane, self);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
