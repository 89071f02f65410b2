#pragma once
// Storage: refcounted bytes shared by a tensor and all its views.

#include <cstddef>

#include "core/ref_counted.h"

namespace webtorch {

class Storage : public RefCounted {
 public:
  // Throws webtorch::Error naming the byte count when the allocation fails.
  explicit Storage(size_t nbytes);
  ~Storage() override;

  char* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  char* data_ = nullptr;
  size_t nbytes_ = 0;
};

}  // namespace webtorch
