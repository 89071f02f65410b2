#include "core/storage.h"

#include <cstdint>
#include <cstdlib>

#include "core/error.h"
#include "core/memory_stats.h"

namespace webtorch {

namespace {
constexpr size_t kHeader = (sizeof(Storage) + 15) / 16 * 16;
}  // namespace

IntrusivePtr<Storage> Storage::create(size_t nbytes) {
  WT_CHECK(nbytes <= SIZE_MAX - kHeader,
           "DefaultCPUAllocator: can't allocate memory: you tried to allocate ", nbytes, " bytes.");
  char* block = static_cast<char*>(std::malloc(kHeader + nbytes));
  WT_CHECK(block != nullptr,
           "DefaultCPUAllocator: can't allocate memory: you tried to allocate ", nbytes,
           " bytes.");
  MemoryStats& stats = memory_stats();
  stats.bytes += int64_t(nbytes);
  stats.allocations += 1;
  return IntrusivePtr<Storage>(new (block) Storage(nbytes, nbytes > 0 ? block + kHeader : nullptr));
}

Storage::~Storage() { memory_stats().bytes -= int64_t(nbytes_); }

void Storage::operator delete(void* p) noexcept { std::free(p); }

}  // namespace webtorch
