// The C++ per-op cost of tiny ops under each mode, for profiles of the native build:
//   valgrind --tool=callgrind build/native/bench/native/webtorch_op_cost inference add 10000
// Run it with two iteration counts and subtract to get instructions per op without the
// set-up (bench/profile.sh does that). The same ops as the mode-cost chain of bench/run.mjs.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "core/memory_stats.h"
#include "autograd/variable.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {

// One step of the tiny-op chain: functional, view and in-place ops mixed.
void chain_step(const Tensor& x, const Tensor& w) {
  Tensor a = add(x, w, 1);
  Tensor b = mul(a, Scalar(0.5));
  Tensor v = view(b, {4, 4});
  Tensor t = transpose(v, 0, 1);
  Tensor r = relu(t);
  Tensor s = sum(r, {1}, false);
  Tensor u = unsqueeze(s, 0);
  Tensor e = exp(u);
  Tensor z = clone(e);
  add_(z, Scalar(1.0), 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s record|nograd|inference add|chain N\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1], op = argv[2];
  const long n = std::atol(argv[3]);
  const bool inference = mode == "inference";
  Tensor x, w;
  {
    InferenceMode guard(inference);
    x = full({16}, Scalar(0.25));
    w = full({16}, Scalar(0.5));
  }
  if (mode == "record") autograd::requires_grad_(w, true);
  const int64_t allocs0 = memory_stats().allocations;
  {
    InferenceMode im(inference);
    AutoGradMode gm(mode == "record");
    for (long i = 0; i < n; ++i) {
      if (op == "add") {
        Tensor y = add(x, w, 1);
      } else {
        chain_step(x, w);
      }
    }
  }
  std::printf("%s %s: %.2f engine allocations per iteration\n", mode.c_str(), op.c_str(),
              double(memory_stats().allocations - allocs0) / double(n));
  return 0;
}
