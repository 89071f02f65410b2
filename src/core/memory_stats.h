#pragma once
// What torch.memory() reports, kept up to date by the objects themselves.

#include <cstdint>

namespace webtorch {

struct MemoryStats {
  int64_t tensors = 0;        // live TensorImpls, including those the graph holds
  int64_t bytes = 0;          // bytes of live storages
  int64_t graph_nodes = 0;    // live autograd nodes
  int64_t saved_bytes = 0;    // bytes of tensors saved for backward and not yet freed
  int64_t allocations = 0;    // heap allocations made by the engine, ever (Note [Counting allocations])
};

MemoryStats& memory_stats();

}  // namespace webtorch
