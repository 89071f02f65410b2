#include "core/storage.h"

#include <cstdlib>

#include "core/error.h"
#include "core/memory_stats.h"

namespace webtorch {

Storage::Storage(size_t nbytes) : nbytes_(nbytes) {
  if (nbytes > 0) {
    data_ = static_cast<char*>(std::malloc(nbytes));
    WT_CHECK(data_ != nullptr,
             "DefaultCPUAllocator: can't allocate memory: you tried to allocate ", nbytes,
             " bytes.");
  }
  MemoryStats& stats = memory_stats();
  stats.bytes += int64_t(nbytes);
  stats.allocations += 1;
}

Storage::~Storage() {
  std::free(data_);
  memory_stats().bytes -= int64_t(nbytes_);
}

}  // namespace webtorch
