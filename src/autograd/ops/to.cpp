// to(dtype) and ToCopyBackward0: a dtype conversion; the same tensor when nothing changes,
// as PyTorch returns self from .to() in that case.

#include "kernels/copy.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct ToCopyBackward0 : Node {
  std::string name() const override { return "ToCopyBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {grads[0].dtype() == self_dtype_ ? grads[0] : to_dtype(grads[0], self_dtype_)};
  }
  ScalarType self_dtype_;
};
}  // namespace

Tensor to(const Tensor& self, ScalarType dtype) {
  if (self.dtype() == dtype) return self;
  std::shared_ptr<ToCopyBackward0> node;
  // Only floating results carry gradients.
  if (is_floating(dtype)) node = autograd::make_node<ToCopyBackward0>({&self});
  if (node) node->self_dtype_ = self.dtype();
  Tensor out = empty_strided(self.sizes(), to_strides(self), dtype);
  kernels::copy(out, self);
  if (node) autograd::set_history(out, node);
  return out;
}

}  // namespace webtorch
