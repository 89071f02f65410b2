#pragma once
// Tensor: a refcounted handle to a TensorImpl. Copying a Tensor shares the same tensor.

#include "core/tensor_impl.h"

namespace webtorch {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(IntrusivePtr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return bool(impl_); }
  TensorImpl* impl() const { return impl_.get(); }
  const IntrusivePtr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }

  int64_t dim() const { return impl_->dim(); }
  IntArrayRef sizes() const { return impl_->sizes(); }
  IntArrayRef strides() const { return impl_->strides(); }
  int64_t size(int64_t d) const { return impl_->size(d); }
  int64_t stride(int64_t d) const { return impl_->stride(d); }
  int64_t numel() const { return impl_->numel(); }
  ScalarType dtype() const { return impl_->dtype(); }
  int64_t storage_offset() const { return impl_->storage_offset(); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  bool is_inference() const { return impl_->is_inference(); }
  bool requires_grad() const { return impl_->requires_grad(); }
  uint32_t version() const { return impl_->version_counter().current_version(); }

  template <class T>
  T* data() const {
    return reinterpret_cast<T*>(impl_->data());
  }

 private:
  IntrusivePtr<TensorImpl> impl_;
};

// A fresh contiguous tensor with uninitialised data. It is an inference tensor iff
// InferenceMode is enabled (Note [Inference tensors]).
Tensor empty(IntArrayRef sizes, ScalarType dtype = ScalarType::Float32);

// A tensor sharing self's storage and version counter with the given geometry: no
// autograd bookkeeping (see autograd/view_tracking.h for that).
Tensor alias_with_geometry(const Tensor& self, IntArrayRef sizes, IntArrayRef strides,
                           int64_t storage_offset);

}  // namespace webtorch
