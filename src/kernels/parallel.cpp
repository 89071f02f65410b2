#include "kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <vector>

// Note [Kernel threads]
// Kernels split their work with parallel_for over a pool of n - 1 std::threads plus the
// calling thread. The pool is the engine's: in wasm each engine instance (one per JavaScript
// thread that loaded it) has its own heap and its own pool, so the threads of one engine only
// ever run that engine's kernels. The pool threads never read or change mode state (which
// lives in globals of the engine that only the calling JavaScript thread touches: Note
// [Modes are scoped in JavaScript]); they run the chunks they claim and wait.
// A job is cut into chunks; the caller and every pool thread that wakes up claim chunks from
// one atomic counter until none is left, so a pool thread that the OS schedules late (two
// cores shared with other work) costs nothing: the caller runs its chunks. The counter holds
// the job's generation in its high half, so a thread still holding an old job can never
// claim a chunk of a newer one. The caller returns once every claimed chunk has finished.
// Which thread runs which chunk is timing-dependent, so kernels must give the same result
// whatever the assignment (Note [Bit-identical for every thread count] in matmul.cpp); the
// `slot` a chunk receives is the index of the thread running it, for per-thread scratch.
// Exceptions thrown inside a chunk are caught where they are thrown and the first one is
// rethrown on the caller after every claimed chunk finished, so an error inside a parallel
// kernel reaches JavaScript exactly as it does on one thread (through guarded()), and no
// thread is left inside the job.
// Builds without threads (the single-thread wasm builds: __EMSCRIPTEN__ without
// __EMSCRIPTEN_PTHREADS__, both predefined by the compiler) run every job on the caller.

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define WEBTORCH_NO_THREADS 1
#else
#include <condition_variable>
#include <mutex>
#include <thread>
#endif

namespace webtorch {
namespace kernels {

namespace {

// Set while a thread runs a chunk: a nested parallel_for runs serially.
thread_local bool in_parallel_region = false;

// `parts` near-equal contiguous chunks of [0, n).
struct Split {
  int64_t n, parts;
  int64_t begin(int64_t i) const { return n * i / parts; }
  int64_t end(int64_t i) const { return n * (i + 1) / parts; }
};

using SlotFn = std::function<void(int, int64_t, int64_t)>;

void run_chunk(const SlotFn& fn, int slot, int64_t begin, int64_t end, std::exception_ptr& error) {
  in_parallel_region = true;
  try {
    fn(slot, begin, end);
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  in_parallel_region = false;
}

#ifdef WEBTORCH_NO_THREADS

int current_threads = 1;

#else

class Pool {
 public:
  ~Pool() { resize(1); }

  int threads() const { return int(workers_.size()) + 1; }

  void resize(int n) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
    errors_.assign(size_t(n), nullptr);
    // A thread that cannot be started (no worker left in the wasm pool) leaves fewer threads.
    for (int i = 1; i < n; ++i) {
      try {
        workers_.emplace_back([this, i, seen = generation_] { loop(i, seen); });
      } catch (...) {
        break;
      }
    }
    errors_.resize(workers_.size() + 1);
  }

  void run(const Split& split, const SlotFn& fn) {
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      split_ = split;
      finished_.store(0, std::memory_order_relaxed);
      for (auto& e : errors_) e = nullptr;
      generation = ++generation_;
      claim_.store(generation << 32, std::memory_order_release);
    }
    wake_.notify_all();
    work(0, generation, fn, split);
    // Every chunk is claimed; wait for those other threads are still running.
    for (int spin = 0; spin < (1 << 14) && finished_.load(std::memory_order_acquire) != split.parts; ++spin) {
    }
    if (finished_.load(std::memory_order_acquire) != split.parts) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == split.parts; });
    }
    for (auto& e : errors_)
      if (e) std::rethrow_exception(e);
  }

 private:
  // Claims and runs chunks of job `generation` until none is left.
  void work(int slot, uint64_t generation, const SlotFn& fn, const Split& split) {
    for (;;) {
      uint64_t c = claim_.load(std::memory_order_acquire);
      int64_t chunk;
      do {
        if ((c >> 32) != (generation & 0xffffffffu)) return;  // a newer job: ours is done
        chunk = int64_t(c & 0xffffffffu);
        if (chunk >= split.parts) return;
      } while (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel));
      run_chunk(fn, slot, split.begin(chunk), split.end(chunk), errors_[size_t(slot)]);
      if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == split.parts) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  void loop(int slot, uint64_t seen) {
    for (;;) {
      const SlotFn* job;
      Split split;
      uint64_t generation;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation = generation_;
        if (stop_) return;
        job = job_;
        split = split_;
      }
      // The job's function outlives every chunk claimed under its generation.
      if (job != nullptr) work(slot, generation, *job, split);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  bool stop_ = false;
  const SlotFn* job_ = nullptr;
  Split split_{0, 1};
  std::atomic<uint64_t> claim_{0};
  std::atomic<int64_t> finished_{0};
  std::vector<std::exception_ptr> errors_ = std::vector<std::exception_ptr>(1);
};

Pool& pool() {
  static Pool p;
  return p;
}

#endif

// Chunks per thread: enough that a late thread's share is small, few enough that each
// chunk stays long against the cost of claiming it.
constexpr int64_t kChunksPerThread = 4;

Split split_for(int64_t n, int64_t grain) {
  const int threads = in_parallel_region ? 1 : num_threads();
  if (threads == 1) return {n, 1};
  const int64_t by_grain = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
  return {n, std::max<int64_t>(1, std::min<int64_t>({n, by_grain, threads * kChunksPerThread}))};
}

}  // namespace

bool threads_supported() {
#ifdef WEBTORCH_NO_THREADS
  return false;
#else
  return true;
#endif
}

int set_num_threads(int n) {
  n = std::clamp(n, 1, kMaxThreads);
#ifdef WEBTORCH_NO_THREADS
  (void)n;
  return current_threads;
#else
  if (n != pool().threads()) pool().resize(n);
  return pool().threads();
#endif
}

int num_threads() {
#ifdef WEBTORCH_NO_THREADS
  return current_threads;
#else
  return pool().threads();
#endif
}

void parallel_parts(int64_t n, int64_t grain, const std::function<void(int, int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  const Split split = split_for(n, grain);
  if (split.parts == 1) {
    fn(0, 0, n);
    return;
  }
#ifdef WEBTORCH_NO_THREADS
  fn(0, 0, n);
#else
  pool().run(split, fn);
#endif
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  parallel_parts(n, grain, [&](int, int64_t begin, int64_t end) { fn(begin, end); });
}

}  // namespace kernels
}  // namespace webtorch
