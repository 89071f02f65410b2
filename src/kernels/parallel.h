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

// Calls fn(begin, end) on contiguous, disjoint ranges covering [0, n), each at least `grain`
// long (except a shorter last one), at most num_threads() of them, possibly concurrently.
// The caller runs the first range. Returns when every range has run; the first exception
// thrown by any range is rethrown here, after all ranges finished. Nested calls (from inside
// fn) run serially. fn must write disjoint data per range and its result must not depend on
// how [0, n) is split (Note [Bit-identical for every thread count]).
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// The same with the index of each range (0 <= part < num_threads()), for kernels that give
// every range its own scratch slot.
void parallel_parts(int64_t n, int64_t grain, const std::function<void(int, int64_t, int64_t)>& fn);

}  // namespace kernels
}  // namespace webtorch
