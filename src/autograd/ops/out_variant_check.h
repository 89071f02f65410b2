#pragma once
// Note [Ops that PyTorch 1.13 runs through their out= overload]
// In PyTorch 1.13 abs, mean (which calls sum(out=)) and pow(number, tensor) compute through
// their out= overload. For a normal tensor the op's own autograd kernel records first, but an
// inference tensor that requires grad, used outside InferenceMode with grad mode on, reaches
// the out= overload's autograd kernel, which refuses any input that requires grad. webtorch
// raises the same error at the same place (checked before anything is computed).

#include "autograd/view_tracking.h"
#include "core/error.h"
#include "core/tensor.h"

namespace webtorch {

// `op` is the name PyTorch's text starts with ("abs", "sum" for mean, "pow").
inline void check_out_variant_autograd(const Tensor& self, const char* op) {
  WT_CHECK(!(autograd::autograd_active() && self.is_inference() && self.requires_grad()), op,
           "(): functions with out=... arguments don't support automatic differentiation, but "
           "one of the arguments requires grad.");
}

}  // namespace webtorch
