// narrow (PyTorch 1.13 implements it as slice, so it records SliceBackward0) and slice.
// SliceBackward0's gradient is the incoming one placed into zeros of the input's shape.

#include "autograd/view_tracking.h"
#include "kernels/copy.h"
#include "autograd/ops/backward_ops.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct SliceBackward0 : Node {
  std::string name() const override { return "SliceBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {slice_backward(grads[0], self_sizes_, dim_, start_, end_, step_)};
  }
  DimVector self_sizes_;
  int64_t dim_ = 0, start_ = 0, end_ = 0, step_ = 1;
};
}  // namespace

Tensor slice(const Tensor& self, int64_t dim, int64_t start, int64_t end, int64_t step) {
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes[size_t(dim)] = (end - start + step - 1) / step;
  strides[size_t(dim)] *= step;
  Tensor out = autograd::make_view(self, sizes, strides, self.storage_offset() + start * self.stride(dim));
  return record_view<SliceBackward0>(self, out, [&](SliceBackward0& n) {
    n.self_sizes_.assign(self.sizes());
    n.dim_ = dim;
    n.start_ = start;
    n.end_ = end;
    n.step_ = step;
  });
}

Tensor narrow(const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  WT_CHECK(self.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  const int64_t d = shape::wrap_dim(dim, self.dim());
  const int64_t size = self.size(d);
  // start == size is allowed (an empty slice at the end); otherwise it wraps like a dim.
  if (start != size) start = shape::wrap_dim(start, size);
  WT_CHECK(length >= 0 && start <= size - length, "start (", start, ") + length (", length,
           ") exceeds dimension size (", size, ").");
  return slice(self, d, start, start + length);
}

}  // namespace webtorch
