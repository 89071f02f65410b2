#include "core/tensor.h"

#include <cstdint>

#include "core/error.h"
#include "core/inference_mode.h"
#include "core/shape.h"

namespace webtorch {

Tensor empty(IntArrayRef sizes, ScalarType dtype) {
  // Checked in 64 bits so that a huge shape is an Error, never a wrapped-around size.
  uint64_t n = 1;
  for (int64_t s : sizes) {
    WT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", sizes);
    n = (s != 0 && n > (UINT64_MAX / uint64_t(s))) ? UINT64_MAX : n * uint64_t(s);
  }
  const uint64_t nbytes =
      n > UINT64_MAX / itemsize(dtype) ? UINT64_MAX : n * uint64_t(itemsize(dtype));
  WT_CHECK(nbytes <= uint64_t(SIZE_MAX) && nbytes < (uint64_t(1) << 52),
           "DefaultCPUAllocator: can't allocate memory: you tried to allocate ",
           nbytes == UINT64_MAX ? std::string("more than 2^64") : str(nbytes),
           " bytes for a tensor of shape ", sizes, " (", name(dtype), ")");
  IntrusivePtr<Storage> storage;
  try {
    storage = make_intrusive<Storage>(size_t(nbytes));
  } catch (const Error& e) {
    throw_error(str(e.message().substr(0, e.message().size() - 1), " for a tensor of shape ",
                    sizes, " (", name(dtype), ")"));
  }
  VariableVersion version = InferenceMode::is_enabled()
                                ? VariableVersion(VariableVersion::Disabled{})
                                : VariableVersion();
  return Tensor(make_intrusive<TensorImpl>(std::move(storage), dtype, sizes,
                                           shape::contiguous_strides(sizes), 0,
                                           std::move(version)));
}

Tensor alias_with_geometry(const Tensor& self, IntArrayRef sizes, IntArrayRef strides,
                           int64_t storage_offset) {
  return Tensor(make_intrusive<TensorImpl>(self.impl()->storage(), self.dtype(), sizes, strides,
                                           storage_offset, self.impl()->version_counter()));
}

}  // namespace webtorch
