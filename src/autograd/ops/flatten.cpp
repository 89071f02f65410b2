// flatten: PyTorch 1.13 makes it a reshape (ReshapeAliasBackward0 when it can be a view,
// UnsafeViewBackward0 for a copy), returns self itself when start_dim == end_dim, and
// reshapes a 0-dim tensor to [1].

#include "autograd/recording.h"

namespace webtorch {

Tensor flatten(const Tensor& self, int64_t start_dim, int64_t end_dim) {
  const int64_t start = shape::wrap_dim(start_dim, self.dim());
  const int64_t end = shape::wrap_dim(end_dim, self.dim());
  WT_CHECK(start <= end, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (self.dim() == 0) return reshape(self, {1});
  if (start == end) return self;
  DimVector shape;
  int64_t flat = 1;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (d < start || d > end) {
      shape.push_back(self.size(d));
    } else {
      flat *= self.size(d);
      if (d == end) shape.push_back(flat);
    }
  }
  return reshape(self, shape);
}

}  // namespace webtorch
