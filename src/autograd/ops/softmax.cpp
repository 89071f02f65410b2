// softmax / log_softmax along one dim with SoftmaxBackward0 / LogSoftmaxBackward0, both from
// the saved result (_softmax_backward_data, _log_softmax_backward_data). Numerically stable:
// each row is shifted by its max (kernels::softmax). Floating inputs only, as PyTorch's
// kernels; an empty input passes through whatever its dtype.

#include "kernels/reduce.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {

// A 0-dim tensor is handled as a 1-element row.
Tensor as_rows(const Tensor& t) { return t.dim() == 0 ? alias_with_geometry(t, {1}, {1}, t.storage_offset()) : t; }

struct SoftmaxNode : Node {
  explicit SoftmaxNode(bool log) : log_(log) {}
  std::string name() const override { return log_ ? "LogSoftmaxBackward0" : "SoftmaxBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {softmax_backward_data(grads[0], result_.unpack(this), dim_, log_)};
  }
  void release_variables() override { result_.reset_data(); }
  SavedVariable result_;
  int64_t dim_ = 0;
  bool log_;
};

Tensor softmax_impl(const Tensor& self, int64_t dim, bool log) {
  // Recording first (Note [The autograd layer checks before the kernel]).
  auto node = autograd::make_node<SoftmaxNode>({&self}, log);
  const int64_t d = shape::wrap_dim(dim, self.dim());
  if (self.numel() > 0) {
    const bool last = self.dim() == 0 || d == self.dim() - 1;
    const char* kernel = !last ? "softmax_kernel_impl"
                         : log ? "log_softmax_lastdim_kernel_impl"
                               : "softmax_lastdim_kernel_impl";
    check_dispatch(is_floating(self.dtype()), kernel, self.dtype());
  }
  Tensor out = empty(self.sizes(), self.dtype());
  if (self.numel() > 0) kernels::softmax(as_rows(out), as_rows(self), d, log);
  if (node) {
    node->dim_ = d;
    autograd::set_history(out, node);
    node->result_ = SavedVariable(out, true);
  }
  return out;
}

}  // namespace

Tensor softmax(const Tensor& self, int64_t dim) { return softmax_impl(self, dim, false); }
Tensor log_softmax(const Tensor& self, int64_t dim) { return softmax_impl(self, dim, true); }

}  // namespace webtorch
