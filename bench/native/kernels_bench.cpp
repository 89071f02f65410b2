// Native builds of the same kernels the wasm engines run, timed for comparison with the
// wasm numbers (bench/run.mjs runs this binary when it exists and puts its rows in
// results.json). Prints one JSON object.
//   build/native/bench/native/webtorch_kernels_bench

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/inference_mode.h"
#include "kernels/matmul.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Best time of `reps` runs of fn, each repeated until it takes at least 50 ms.
template <class Fn>
double best_seconds(Fn&& fn, int reps = 5) {
  fn();
  int inner = 1;
  for (;;) {
    const double t0 = now_s();
    for (int i = 0; i < inner; ++i) fn();
    if (now_s() - t0 > 0.05) break;
    inner *= 2;
  }
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now_s();
    for (int i = 0; i < inner; ++i) fn();
    best = std::min(best, (now_s() - t0) / inner);
  }
  return best;
}

}  // namespace

int main() {
  InferenceMode guard;
  std::printf("{\n  \"simd\": \"%s\",\n  \"matmul\": [", "scalar twin of simd.h, g++ -O3");
  const int sizes[] = {128, 256, 512, 1024};
  for (int si = 0; si < 4; ++si) {
    const int n = sizes[si];
    std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f), c(size_t(n) * n);
    const double s = best_seconds([&] {
      kernels::gemm(n, n, n, a.data(), n, 1, b.data(), n, 1, c.data(), n);
    }, n >= 1024 ? 3 : 5);
    std::printf("%s{\"n\": %d, \"gflops\": %.2f}", si ? ", " : "", n, 2.0 * n * n * n / s / 1e9);
  }
  std::printf("],\n");
  const Tensor x = full({1 << 20}, Scalar(0.5));
  const Tensor y = full({1 << 20}, Scalar(0.25));
  const double s_add = best_seconds([&] { Tensor z = add(x, y, 1); });
  const double s_mul = best_seconds([&] { Tensor z = mul(x, y); });
  std::printf("  \"add_1M_gbps\": %.2f,\n  \"mul_1M_gbps\": %.2f\n}\n", 12.0 * (1 << 20) / s_add / 1e9,
              12.0 * (1 << 20) / s_mul / 1e9);
  return 0;
}
