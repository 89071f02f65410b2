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
// lives in JavaScript-thread-local globals of the engine that the caller alone touches:
// Note [Modes are scoped in JavaScript]); they run the ranges they are handed and wait.
// A job is published under the mutex with a new generation number; each pool thread runs
// the range of its index (if the job has that many) and counts down `pending`; the caller
// runs range 0 and then waits for pending == 0. Exceptions thrown inside a range are caught
// where they are thrown and the first one is rethrown on the caller after every range
// finished, so an error inside a parallel kernel reaches JavaScript exactly as it does on
// one thread (through guarded()), and no thread is left inside the job.
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

// Set while a thread runs a range: a nested parallel_for runs serially.
thread_local bool in_parallel_region = false;

// The ranges of Note [Kernel threads]: `parts` near-equal contiguous ranges of [0, n).
struct Split {
  int64_t n, parts;
  int64_t begin(int64_t i) const { return n * i / parts; }
  int64_t end(int64_t i) const { return n * (i + 1) / parts; }
};

int64_t parts_for(int64_t n, int64_t grain, int threads) {
  const int64_t by_grain = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
  return std::max<int64_t>(1, std::min<int64_t>(threads, by_grain));
}

void run_range(const std::function<void(int64_t, int64_t)>& fn, int64_t begin, int64_t end,
               std::exception_ptr& error) {
  if (begin >= end) return;
  in_parallel_region = true;
  try {
    fn(begin, end);
  } catch (...) {
    error = std::current_exception();
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
  }

  void run(int64_t n, int64_t parts, const std::function<void(int64_t, int64_t)>& fn) {
    const Split split{n, parts};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      split_ = split;
      pending_.store(int(parts) - 1, std::memory_order_relaxed);
      for (auto& e : errors_) e = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    run_range(fn, split.begin(0), split.end(0), errors_[0]);
    // The ranges of the pool threads are usually as long as ours: spin briefly, then sleep.
    for (int spin = 0; spin < 4096 && pending_.load(std::memory_order_acquire) != 0; ++spin) {
    }
    if (pending_.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
    }
    for (auto& e : errors_)
      if (e) std::rethrow_exception(e);
  }

 private:
  void loop(int index, uint64_t seen) {
    for (;;) {
      const std::function<void(int64_t, int64_t)>* job;
      Split split;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stop_) return;
        job = job_;
        split = split_;
      }
      if (job == nullptr || index >= split.parts) continue;
      run_range(*job, split.begin(index), split.end(index), errors_[size_t(index)]);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  bool stop_ = false;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  Split split_{0, 1};
  std::atomic<int> pending_{0};
  std::vector<std::exception_ptr> errors_ = std::vector<std::exception_ptr>(1);
};

Pool& pool() {
  static Pool p;
  return p;
}

#endif

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
  const Split split{n, in_parallel_region ? 1 : parts_for(n, grain, num_threads())};
  parallel_for(split.parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) fn(int(p), split.begin(p), split.end(p));
  });
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  const int64_t parts = in_parallel_region ? 1 : parts_for(n, grain, num_threads());
  if (parts == 1) {
    fn(0, n);
    return;
  }
#ifdef WEBTORCH_NO_THREADS
  fn(0, n);
#else
  pool().run(n, parts, fn);
#endif
}

}  // namespace kernels
}  // namespace webtorch
