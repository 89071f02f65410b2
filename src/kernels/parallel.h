#pragma once
// A small fixed pool of kernel threads (Note [Kernel threads] in parallel.cpp).
//   set_num_threads(n)           the engine's thread count (1: everything runs on the caller)
//   parallel_for(n, grain, fn)   fn(begin, end) over contiguous ranges covering [0, n)
// Only kernels use the pool: the worker threads never touch modes, tensors' autograd state or
// the allocator's bookkeeping of webtorch objects.

#include <cstdint>
#include <functional>

namespace webtorch {
namespace kernels {

// Whether this build can run threads at all (native: yes; wasm: only the pthreads build).
bool threads_supported();

// Sets the number of threads kernels may use (the caller plus n - 1 pool threads), clamped to
// [1, kMaxThreads]; 1 when the build has no threads. Returns the count in effect. Not to be
// called from inside parallel_for.
constexpr int kMaxThreads = 64;
int set_num_threads(int n);
int num_threads();

// Calls fn(begin, end) on contiguous, disjoint chunks covering [0, n), each about `grain`
// long or longer, possibly concurrently on up to num_threads() threads (the caller among
// them). Returns when every chunk has run; the first exception thrown by a chunk is rethrown
// here, after all claimed chunks finished. Nested calls (from inside fn) run serially. fn
// must write disjoint data per chunk and give the same result whichever thread runs which
// chunk (Note [Bit-identical for every thread count] in matmul.cpp).
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// The same with the index of the thread running each chunk (0 <= slot < num_threads()), for
// kernels that give every thread its own scratch.
void parallel_parts(int64_t n, int64_t grain, const std::function<void(int slot, int64_t, int64_t)>& fn);

}  // namespace kernels
}  // namespace webtorch
