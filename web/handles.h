#pragma once
// Tensors cross to JavaScript as handles: the address of a TensorImpl that holds one
// reference owned by the JS wrapper (released by wt_release). Small arrays (shapes, dims,
// lists of handles) travel through one scratch buffer in wasm memory; JS writes it right
// before the call that reads it.

#include <cstdint>

#include "core/tensor.h"

namespace webtorch {
namespace web {

using Handle = uint32_t;

inline Handle to_handle(const Tensor& t) {
  IntrusivePtr<TensorImpl> p = t.impl_ptr();
  return Handle(reinterpret_cast<uintptr_t>(p.release_to_raw()));
}

// A new reference to the tensor behind h (h stays valid).
inline Tensor from_handle(Handle h) {
  return Tensor(IntrusivePtr<TensorImpl>(reinterpret_cast<TensorImpl*>(uintptr_t(h))));
}

constexpr int kScratchInts = constants::kScratchInts;  // js/constants.mjs SCRATCH_INTS
int32_t* scratch_i32();
double* scratch_f64();

// The first n ints of the scratch buffer as dims.
DimVector scratch_dims(int32_t n);

}  // namespace web
}  // namespace webtorch
