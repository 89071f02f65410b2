#pragma once
// The default CPU generator: the engine's only random state (torch.manualSeed, rand, randn).
//
// Note [CPU generator]
// PyTorch 1.13's CPUGeneratorImpl is an mt19937 seeded with the low 32 bits of the seed
// (at::mt19937 is the standard MT19937, so std::mt19937 gives the same stream), plus a cached
// second sample of the double-precision Box-Muller (normal_distribution<double> returns
// r*cos and keeps r*sin for the next call, across tensors). manual_seed resets both. Before
// any manual_seed the seed is PyTorch's default_rng_seed_val. The distributions that turn
// the stream into numbers are in kernels/random.h.

#include <cstdint>
#include <random>

namespace webtorch {

class CPUGenerator {
 public:
  static constexpr uint64_t kDefaultSeed = 67280421310721ULL;  // c10::default_rng_seed_val

  CPUGenerator() { set_current_seed(kDefaultSeed); }

  void set_current_seed(uint64_t seed) {
    seed_ = seed;
    engine_.seed(uint32_t(seed & 0xffffffffu));
    has_next_double_normal_ = false;
  }
  uint64_t current_seed() const { return seed_; }

  uint32_t random() { return uint32_t(engine_()); }
  // Two draws, the first in the high half (detail::make64BitsFrom32Bits).
  uint64_t random64() {
    const uint64_t hi = random();
    const uint64_t lo = random();
    return (hi << 32) | lo;
  }

  bool has_next_double_normal() const { return has_next_double_normal_; }
  double take_next_double_normal() {
    has_next_double_normal_ = false;
    return next_double_normal_;
  }
  void set_next_double_normal(double v) {
    next_double_normal_ = v;
    has_next_double_normal_ = true;
  }

 private:
  std::mt19937 engine_;
  uint64_t seed_ = kDefaultSeed;
  double next_double_normal_ = 0.0;
  bool has_next_double_normal_ = false;
};

// The engine-wide generator (one engine instance per thread of use; see Note [Single-threaded
// refcounts]).
CPUGenerator& default_generator();

}  // namespace webtorch
