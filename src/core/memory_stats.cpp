#include "core/memory_stats.h"

#include <cstdlib>
#include <new>

namespace webtorch {

MemoryStats& memory_stats() {
  static MemoryStats stats;
  return stats;
}

}  // namespace webtorch

// Note [Counting allocations]
// MemoryStats::allocations counts every heap allocation of the engine: each operator new
// (tensors, version counters, autograd metadata, nodes, saved variables, vectors, strings)
// through the replacement below, plus each storage buffer (Storage mallocs it). The
// benchmark divides it by the number of ops to show what a mode skips (bench/lib/modes.mjs).
// The array and nothrow forms of operator new call this one. Sanitizer builds keep the
// sanitizer's own operator new (they count storage buffers only).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEBTORCH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WEBTORCH_ASAN 1
#endif

#ifndef WEBTORCH_ASAN
void* operator new(std::size_t n) {
  webtorch::memory_stats().allocations += 1;
  if (void* p = std::malloc(n != 0 ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif
