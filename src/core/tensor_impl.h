#pragma once
// TensorImpl: a strided view of a Storage, with its dtype and version counter.
//
// Note [Inference tensors]
// A non-view tensor is an inference tensor iff it was allocated inside InferenceMode; a
// view is one iff its base is. An inference tensor is exactly a tensor without a version
// counter (is_inference() reads that), so the rule costs no extra state and no allocation.
// Outside InferenceMode they are immutable (in-place ops and requires_grad_(true) throw)
// and they cannot be saved for backward; inside, they skip version bumps and view tracking.
//
// The core knows nothing about the graph: autograd keeps its per-tensor data behind
// AutogradMetaInterface, created only for tensors that need it (requires_grad, a grad_fn,
// or a tracked view).

#include <memory>

#include "core/dim_vector.h"
#include "core/dtype.h"
#include "core/ref_counted.h"
#include "core/storage.h"
#include "core/version_counter.h"

namespace webtorch {

class TensorImpl;

struct AutogradMetaInterface {
  virtual ~AutogradMetaInterface() = default;
  virtual bool requires_grad() const = 0;
  virtual void set_requires_grad(bool requires_grad, TensorImpl* self) = 0;
};

class TensorImpl : public RefCounted {
 public:
  TensorImpl(IntrusivePtr<Storage> storage, ScalarType dtype, IntArrayRef sizes,
             IntArrayRef strides, int64_t storage_offset, VariableVersion version);
  // A fresh contiguous tensor over all of storage (empty()): strides, numel and
  // contiguity come from the sizes in one pass.
  TensorImpl(IntrusivePtr<Storage> storage, ScalarType dtype, IntArrayRef sizes,
             VariableVersion version);
  ~TensorImpl() override;

  const IntrusivePtr<Storage>& storage() const { return storage_; }
  ScalarType dtype() const { return dtype_; }
  int64_t dim() const { return int64_t(sizes_.size()); }
  IntArrayRef sizes() const { return sizes_; }
  IntArrayRef strides() const { return strides_; }
  int64_t size(int64_t d) const { return sizes_[size_t(d)]; }
  int64_t stride(int64_t d) const { return strides_[size_t(d)]; }
  int64_t storage_offset() const { return storage_offset_; }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return size_t(numel_) * itemsize(dtype_); }
  bool is_contiguous() const { return is_contiguous_; }
  // The first element (storage data + offset).
  char* data() const { return storage_->data() + storage_offset_ * int64_t(itemsize(dtype_)); }

  bool is_inference() const { return !version_.enabled(); }
  const VariableVersion& version_counter() const { return version_; }
  VariableVersion& version_counter() { return version_; }

  // A Python number turned into a 0-dim tensor; it ranks lowest in type promotion.
  bool is_wrapped_number() const { return wrapped_number_; }
  void set_wrapped_number(bool v) { wrapped_number_ = v; }

  AutogradMetaInterface* autograd_meta() const { return autograd_meta_.get(); }
  void set_autograd_meta(std::unique_ptr<AutogradMetaInterface> meta) {
    autograd_meta_ = std::move(meta);
  }
  bool requires_grad() const { return autograd_meta_ && autograd_meta_->requires_grad(); }

  // For in-place view ops (squeeze_, ...): same storage, new geometry.
  void set_sizes_and_strides(IntArrayRef sizes, IntArrayRef strides);

 private:
  IntrusivePtr<Storage> storage_;
  DimVector sizes_;
  DimVector strides_;
  int64_t storage_offset_;
  int64_t numel_;
  VariableVersion version_;
  std::unique_ptr<AutogradMetaInterface> autograd_meta_;
  ScalarType dtype_;
  bool is_contiguous_;
  bool wrapped_number_ = false;
};

}  // namespace webtorch
