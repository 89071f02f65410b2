#pragma once
// Storage: refcounted bytes shared by a tensor and all its views.

#include <cstddef>

#include "core/ref_counted.h"

namespace webtorch {

class Storage : public RefCounted {
 public:
  // Note [Storage allocation]
  // create() allocates the Storage and its bytes in ONE heap block (the bytes follow the
  // object, 16-byte aligned): a fresh tensor costs one allocation for its data instead of
  // two, which matters for the many tiny tensors of inference code. Throws webtorch::Error
  // naming the byte count when the allocation fails.
  static IntrusivePtr<Storage> create(size_t nbytes);
  ~Storage() override;

  char* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

  // Both forms of storage are freed with free() (create() mallocs one block).
  static void operator delete(void* p) noexcept;

 private:
  Storage(size_t nbytes, char* data) : data_(data), nbytes_(nbytes) {}
  static void* operator new(size_t, void* place) noexcept { return place; }

  char* data_ = nullptr;
  size_t nbytes_ = 0;
};

}  // namespace webtorch
