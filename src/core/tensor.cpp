#include "core/tensor.h"

#include <cstdint>

#include "core/error.h"
#include "core/inference_mode.h"
#include "core/shape.h"

namespace webtorch {

namespace {

// The error of a shape too large to allocate, with the byte count PyTorch reports (checked
// in 64 bits so that a huge shape is an Error, never a wrapped-around size).
[[noreturn]] void throw_too_large(IntArrayRef sizes, ScalarType dtype) {
  uint64_t n = 1;
  for (int64_t s : sizes) n = (s != 0 && n > (UINT64_MAX / uint64_t(s))) ? UINT64_MAX : n * uint64_t(s);
  const uint64_t nbytes =
      n > UINT64_MAX / itemsize(dtype) ? UINT64_MAX : n * uint64_t(itemsize(dtype));
  throw_error(str("DefaultCPUAllocator: can't allocate memory: you tried to allocate ",
                  nbytes == UINT64_MAX ? std::string("more than 2^64") : str(nbytes),
                  " bytes for a tensor of shape ", sizes, " (", name(dtype), ")"));
}

}  // namespace

Tensor empty(IntArrayRef sizes, ScalarType dtype) {
  // The product in double is exact below 2^53 and only grows past it, so one comparison
  // against the 2^52-byte limit replaces a 64-bit overflow check per dim.
  double bytes = double(itemsize(dtype));
  for (int64_t s : sizes) {
    WT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", sizes);
    bytes *= double(s);
  }
  if (!(bytes < 4503599627370496.0) || bytes > double(SIZE_MAX)) throw_too_large(sizes, dtype);
  const size_t nbytes = size_t(bytes);
  IntrusivePtr<Storage> storage;
  try {
    storage = Storage::create(nbytes);
  } catch (const Error& e) {
    throw_error(str(e.message().substr(0, e.message().size() - 1), " for a tensor of shape ",
                    sizes, " (", name(dtype), ")"));
  }
  VariableVersion version = InferenceMode::is_enabled()
                                ? VariableVersion(VariableVersion::Disabled{})
                                : VariableVersion();
  return Tensor(make_intrusive<TensorImpl>(std::move(storage), dtype, sizes, std::move(version)));
}

Tensor alias_with_geometry(const Tensor& self, IntArrayRef sizes, IntArrayRef strides,
                           int64_t storage_offset) {
  return Tensor(make_intrusive<TensorImpl>(self.impl()->storage(), self.dtype(), sizes, strides,
                                           storage_offset, self.impl()->version_counter()));
}

}  // namespace webtorch
