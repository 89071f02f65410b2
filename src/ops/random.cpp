// torch.manualSeed, torch.rand and torch.randn on the default generator (core/generator.h,
// Note [Reproducing torch.rand and torch.randn] in kernels/random.cpp).

#include "kernels/random.h"
#include "ops/op_utils.h"

namespace webtorch {

void manual_seed(int64_t seed) {
  // A negative seed is taken as its two's complement, as torch.manual_seed does.
  default_generator().set_current_seed(uint64_t(seed));
}

Tensor rand(IntArrayRef sizes, ScalarType dtype) {
  check_dispatch(is_floating(dtype), "check_uniform_bounds", dtype);
  Tensor t = empty(sizes, dtype);
  kernels::uniform(t, default_generator());
  return t;
}

Tensor randn(IntArrayRef sizes, ScalarType dtype) {
  check_dispatch(is_floating(dtype), "normal_kernel_cpu", dtype);
  Tensor t = empty(sizes, dtype);
  kernels::normal(t, default_generator());
  return t;
}

}  // namespace webtorch
