#include "core/memory_stats.h"

namespace webtorch {

MemoryStats& memory_stats() {
  static MemoryStats stats;
  return stats;
}

}  // namespace webtorch
