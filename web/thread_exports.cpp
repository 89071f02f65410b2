// The engine's kernel threads (Note [Kernel threads] in src/kernels/parallel.cpp): the loader
// sets the count once the pthread pool's workers are up, and the engine's terminate() sets it
// back to 1, which joins every kernel thread.

#include "export.h"
#include "kernels/parallel.h"

WT_EXPORT int32_t wt_set_num_threads(int32_t n) {
  return webtorch::web::int_result([&] { return webtorch::kernels::set_num_threads(n); });
}
WT_EXPORT int32_t wt_num_threads() { return webtorch::kernels::num_threads(); }
