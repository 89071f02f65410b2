#include "core/tensor_impl.h"

#include "core/memory_stats.h"
#include "core/shape.h"

namespace webtorch {

TensorImpl::TensorImpl(IntrusivePtr<Storage> storage, ScalarType dtype, IntArrayRef sizes,
                       IntArrayRef strides, int64_t storage_offset, VariableVersion version)
    : storage_(std::move(storage)),
      sizes_(sizes),
      strides_(strides),
      storage_offset_(storage_offset),
      numel_(shape::numel(sizes)),
      version_(std::move(version)),
      dtype_(dtype),
      is_contiguous_(shape::is_contiguous(sizes, strides)) {
  memory_stats().tensors += 1;
}

TensorImpl::TensorImpl(IntrusivePtr<Storage> storage, ScalarType dtype, IntArrayRef sizes,
                       VariableVersion version)
    : storage_(std::move(storage)),
      sizes_(sizes),
      storage_offset_(0),
      version_(std::move(version)),
      dtype_(dtype),
      is_contiguous_(true) {
  strides_.resize(sizes.size());
  int64_t running = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides_[i] = running;
    running *= sizes[i] > 1 ? sizes[i] : 1;
  }
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  numel_ = n;
  memory_stats().tensors += 1;
}

void TensorImpl::set_sizes_and_strides(IntArrayRef sizes, IntArrayRef strides) {
  sizes_.assign(sizes);
  strides_.assign(strides);
  numel_ = shape::numel(sizes);
  is_contiguous_ = shape::is_contiguous(sizes, strides);
}

TensorImpl::~TensorImpl() { memory_stats().tensors -= 1; }

}  // namespace webtorch
