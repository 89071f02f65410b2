#include "kernels/reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <type_traits>
#include <vector>

#include "kernels/copy.h"
#include "kernels/parallel.h"
#include "kernels/simd.h"
#include "kernels/vector_math.h"
#include "kernels/strided_loop.h"

namespace webtorch {
namespace kernels {

namespace {

// Sum of n contiguous floats: 16 running lanes, then a fixed tree.
// Note [Pointer-stepped loops].
float sum_contiguous(const float* x, int64_t n) {
  simd::f32x4 a0 = simd::zero(), a1 = simd::zero(), a2 = simd::zero(), a3 = simd::zero();
  const float* const stop16 = x + (n & ~int64_t(15));
  for (; x != stop16; x += 16) {
    a0 = simd::add(a0, simd::load(x));
    a1 = simd::add(a1, simd::load(x + 4));
    a2 = simd::add(a2, simd::load(x + 8));
    a3 = simd::add(a3, simd::load(x + 12));
  }
  const float* const stop4 = stop16 + ((n & 15) & ~int64_t(3));
  for (; x != stop4; x += 4) a0 = simd::add(a0, simd::load(x));
  float s = simd::hsum(simd::add(simd::add(a0, a1), simd::add(a2, a3)));
  for (int64_t k = 0; k < (n & 3); ++k) s += x[k];
  return s;
}

inline float nan_max(float x, float y) { return (std::isnan(x) || std::isnan(y)) ? x + y : (x > y ? x : y); }
inline float nan_min(float x, float y) { return (std::isnan(x) || std::isnan(y)) ? x + y : (x < y ? x : y); }

// Max (or min) of n contiguous floats: 4 running lanes, then hmax; NaN propagates.
float max_min_contiguous(const float* x, int64_t n, bool is_max) {
  int64_t i = 0;
  float r = x[0];
  if (n >= 4) {
    simd::f32x4 acc = simd::load(x);
    for (i = 4; i + 4 <= n; i += 4) acc = is_max ? simd::max(acc, simd::load(x + i)) : simd::min(acc, simd::load(x + i));
    r = is_max ? simd::hmax(acc) : simd::hmin(acc);
  }
  for (; i < n; ++i) r = is_max ? nan_max(r, x[i]) : nan_min(r, x[i]);
  return r;
}

// Note [Fixed reduction blocks]
// A contiguous run longer than kReductionBlock is reduced block by block (blocks of a fixed
// length, at fixed offsets from the run's start), and the blocks' results are combined in
// order on the caller. The blocks may run on any kernel thread, but the partition does not
// depend on the thread count, so the float result is the same bits for every thread count,
// one included (Note [Bit-identical for every thread count] in matmul.cpp). A run of at
// most one block is reduced exactly as before blocks existed.
constexpr int64_t kReductionBlock = int64_t(1) << 16;

// fold(block_result(x + b * kReductionBlock, length)) over the blocks of a run, in order.
// No heap allocation (partials on the stack, the chunk function by reference): this also
// runs on kernel threads (inside a slice of for_output_slices), where operator new's count
// (Note [Counting allocations]) is not thread-safe.
template <class T, class BlockFn, class Fold>
T reduce_blocks(int64_t n, BlockFn&& block_result, Fold&& fold) {
  constexpr int64_t kGroup = 64;
  const int64_t blocks = (n + kReductionBlock - 1) / kReductionBlock;
  T partial[kGroup];
  T r{};
  for (int64_t group = 0; group < blocks; group += kGroup) {
    const int64_t count = std::min(kGroup, blocks - group);
    auto run_blocks = [&](int64_t first, int64_t last) {
      for (int64_t k = first; k < last; ++k) {
        const int64_t at = (group + k) * kReductionBlock;
        partial[k] = block_result(at, std::min(kReductionBlock, n - at));
      }
    };
    parallel_for(count, 1, std::ref(run_blocks));
    for (int64_t k = 0; k < count; ++k) r = group + k == 0 ? partial[0] : fold(r, partial[k]);
  }
  return r;
}

float sum_long(const float* x, int64_t n) {
  if (n <= kReductionBlock) return sum_contiguous(x, n);
  return reduce_blocks<float>(
      n, [&](int64_t at, int64_t len) { return sum_contiguous(x + at, len); },
      [](float a, float b) { return a + b; });
}

float max_min_long(const float* x, int64_t n, bool is_max) {
  if (n <= kReductionBlock) return max_min_contiguous(x, n, is_max);
  return reduce_blocks<float>(
      n, [&](int64_t at, int64_t len) { return max_min_contiguous(x + at, len, is_max); },
      [&](float a, float b) { return is_max ? nan_max(a, b) : nan_min(a, b); });
}

// t narrowed to [begin, end) along dim d, as an alias.
Tensor narrow_alias(const Tensor& t, int64_t d, int64_t begin, int64_t end) {
  DimVector sizes(t.sizes());
  sizes[size_t(d)] = end - begin;
  return alias_with_geometry(t, sizes, t.strides(), t.storage_offset() + begin * t.stride(d));
}

// Note [Reductions split by output]
// A reduction (or a row kernel: softmax) over a large tensor is cut along its largest dim
// that is not reduced: every slice holds whole outputs, each computed by one thread over the
// same inputs in the same order as in one pass (narrowing a kept dim changes neither the
// order the loop visits the reduced positions in nor how they group into contiguous runs:
// a kept dim of size > 1 never merges with a reduced one), so the result is the same bits for
// every thread count. make(d, begin, end) builds the StridedLoop of the slice [begin, end) of
// dim d (d < 0: the whole tensor) on the calling thread, since making Tensors (refcounts,
// memory_stats) is not thread-safe; run(loop) then runs on any kernel thread and only
// touches memory.
template <class Make, class Run>
void for_output_slices(const Tensor& in, const bool* reduced, Make&& make, Run&& run) {
  int64_t d = -1;
  for (int64_t k = 0; k < in.dim(); ++k)
    if (!reduced[k] && in.size(k) > 1 && (d < 0 || in.size(k) > in.size(d))) d = k;
  if (d < 0 || num_threads() == 1 || in.numel() < kReductionBlock) return run(make(int64_t(-1), int64_t(0), int64_t(0)));
  // A few slices per thread (each at least a quarter block of input) so a late thread's share is small.
  const int64_t size = in.size(d);
  const int64_t parts = std::min({size, int64_t(num_threads()) * 4, std::max<int64_t>(1, in.numel() / (kReductionBlock / 4))});
  std::vector<StridedLoop> loops;
  loops.reserve(size_t(parts));
  for (int64_t k = 0; k < parts; ++k) loops.push_back(make(d, size * k / parts, size * (k + 1) / parts));
  parallel_for(parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t k = first; k < last; ++k) run(loops[size_t(k)]);
  });
}

// t itself (d < 0) or its slice [begin, end) of dim d.
Tensor slice_of(const Tensor& t, int64_t d, int64_t begin, int64_t end) {
  return d < 0 ? t : narrow_alias(t, d, begin, end);
}

// Alias of t with size 1 along dim: a StridedLoop over it visits the first element of
// every row along dim.
Tensor row_starts(const Tensor& t, int64_t dim) {
  DimVector sizes(t.sizes());
  sizes[size_t(dim)] = 1;
  return alias_with_geometry(t, sizes, t.strides(), t.storage_offset());
}

// An alias of out with in's shape and stride 0 along the reduced dims.
Tensor broadcast_out(const Tensor& out, const Tensor& in, const bool* reduced) {
  DimVector strides(out.strides());
  for (int64_t d = 0; d < in.dim(); ++d)
    if (reduced[d]) strides[size_t(d)] = 0;
  return alias_with_geometry(out, in.sizes(), strides, out.storage_offset());
}

}  // namespace

void sum(const Tensor& out, const Tensor& in, const bool* reduced) {
  fill(out, 0.0);
  for_output_slices(in, reduced, [&](int64_t d, int64_t begin, int64_t end) {
    const Tensor in_part = slice_of(in, d, begin, end);
    Tensor acc = broadcast_out(slice_of(out, d, begin, end), in_part, reduced);
    return StridedLoop({&acc, &in_part}, 1);
  }, [&](const StridedLoop& loop) {
    dispatch_dtype(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      loop.run([](char** p, const int64_t* s, int64_t n) {
        if constexpr (std::is_same<T, float>::value) {
          float* out = reinterpret_cast<float*>(p[0]);
          const float* x = reinterpret_cast<const float*>(p[1]);
          if (s[0] == 0 && s[1] == 4) {
            *out += sum_long(x, n);
            return;
          }
          if (s[0] == 4 && s[1] == 4) {
            int64_t i = 0;
            for (; i + 4 <= n; i += 4) simd::store(out + i, simd::add(simd::load(out + i), simd::load(x + i)));
            for (; i < n; ++i) out[i] += x[i];
            return;
          }
        }
        char* o = p[0];
        const char* x = p[1];
        for (int64_t i = 0; i < n; ++i, o += s[0], x += s[1]) {
          T a, b;
          std::memcpy(&a, o, sizeof(T));
          std::memcpy(&b, x, sizeof(T));
          T r;
          if constexpr (std::is_same<T, int32_t>::value) r = int32_t(uint32_t(a) + uint32_t(b));
          else if constexpr (std::is_same<T, bool>::value) r = a || b;
          else r = a + b;
          std::memcpy(o, &r, sizeof(T));
        }
      });
    });
  });
}

void max_min_dim(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim,
                 bool is_max) {
  const int64_t n = in.size(dim);
  const int64_t in_stride = in.stride(dim) * int64_t(itemsize(in.dtype()));
  bool reduced[kMaxDims] = {};
  reduced[dim] = true;
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // The first extreme of [from, to) along dim; a NaN is the extreme and ends the scan.
    struct Best {
      T value;
      int64_t index;
      bool nan;
    };
    auto scan = [&](const char* x, int64_t from, int64_t to) {
      Best best{T{}, from, false};
      std::memcpy(&best.value, x + from * in_stride, sizeof(T));
      best.nan = std::is_floating_point<T>::value && std::isnan(double(best.value));
      for (int64_t i = from + 1; i < to && !best.nan; ++i) {
        T cur;
        std::memcpy(&cur, x + i * in_stride, sizeof(T));
        if (std::is_floating_point<T>::value && std::isnan(double(cur))) {
          best = {cur, i, true};
        } else if (is_max ? cur > best.value : cur < best.value) {
          best = {cur, i, false};
        }
      }
      return best;
    };
    // Blocks in order: a later block wins only with a NaN (none before) or a strictly better
    // value, so the first extreme is found as by one scan (Note [Fixed reduction blocks]).
    auto scan_row = [&](const char* x) {
      if (n <= kReductionBlock) return scan(x, 0, n);
      return reduce_blocks<Best>(
          n, [&](int64_t at, int64_t len) { return scan(x, at, at + len); },
          [&](const Best& a, const Best& b) {
            if (a.nan) return a;
            if (b.nan) return b;
            return (is_max ? b.value > a.value : b.value < a.value) ? b : a;
          });
    };
    for_output_slices(in, reduced, [&](int64_t d, int64_t begin, int64_t end) {
      // Iterate over the kept positions; for each, scan dim.
      const Tensor part = slice_of(in, d, begin, end);
      const Tensor v_part = slice_of(values, d, begin, end), i_part = slice_of(indices, d, begin, end);
      DimVector kept_sizes(part.sizes());
      kept_sizes[size_t(dim)] = 1;
      Tensor in_first = alias_with_geometry(part, kept_sizes, part.strides(), part.storage_offset());
      return StridedLoop({&v_part, &i_part, &in_first});
    }, [&](const StridedLoop& loop) {
      loop.run([&](char** p, const int64_t* s, int64_t count) {
        char* v = p[0];
        char* ix = p[1];
        const char* x = p[2];
        for (int64_t j = 0; j < count; ++j, v += s[0], ix += s[1], x += s[2]) {
          const Best best = scan_row(x);
          const int32_t best_i = int32_t(best.index);
          std::memcpy(v, &best.value, sizeof(T));
          std::memcpy(ix, &best_i, sizeof(int32_t));
        }
      });
    });
  });
}

namespace {
// The element at indices[..] of each row of `rows` along dim, paired with the element of
// `other` (indices' shape): written from other (scatter) or copied into other (gather).
void copy_at_indices(const Tensor& rows, int64_t dim, const Tensor& indices, const Tensor& other, bool into_rows) {
  const int64_t row_stride = rows.stride(dim) * int64_t(itemsize(rows.dtype()));
  const Tensor first = row_starts(rows, dim);
  StridedLoop loop({&first, &indices, &other});
  const size_t item = itemsize(rows.dtype());
  loop.run([&](char** p, const int64_t* s, int64_t n) {
    for (int64_t j = 0; j < n; ++j) {
      int32_t index;
      std::memcpy(&index, p[1] + j * s[1], sizeof(int32_t));
      char* in_row = p[0] + j * s[0] + index * row_stride;
      char* elsewhere = p[2] + j * s[2];
      if (into_rows) std::memcpy(in_row, elsewhere, item);
      else std::memcpy(elsewhere, in_row, item);
    }
  });
}
}  // namespace

void scatter_dim(const Tensor& out, int64_t dim, const Tensor& indices, const Tensor& src) {
  copy_at_indices(out, dim, indices, src, true);
}

void gather_dim(const Tensor& out, const Tensor& self, int64_t dim, const Tensor& indices) {
  copy_at_indices(self, dim, indices, out, false);
}

void max_min_all(const Tensor& out, const Tensor& in, bool is_max) {
  StridedLoop loop({&in});
  dispatch_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    bool first = true;
    T best{};
    loop.run([&](char** p, const int64_t* s, int64_t n) {
      if constexpr (std::is_same<T, float>::value) {
        const float* x = reinterpret_cast<const float*>(p[0]);
        if (s[0] == 4) {
          const float m = max_min_long(x, n, is_max);
          best = first ? m : (is_max ? nan_max(best, m) : nan_min(best, m));
          first = false;
          return;
        }
      }
      const char* x = p[0];
      for (int64_t i = 0; i < n; ++i, x += s[0]) {
        T v;
        std::memcpy(&v, x, sizeof(T));
        if (first) {
          best = v;
          first = false;
        } else if constexpr (std::is_same<T, float>::value) {
          best = is_max ? nan_max(best, v) : nan_min(best, v);
        } else {
          best = is_max ? (v > best ? v : best) : (v < best ? v : best);
        }
      }
    });
    std::memcpy(out.impl()->data(), &best, sizeof(T));
  });
}

namespace {

// The shift of a softmax row: its max under pmax (x < m ? m : x keeps m), which may skip a
// NaN; that does not matter, as a NaN anywhere in the row makes the sum, and so every output,
// NaN. Four accumulators, so the chain is not the limit; combined in a fixed order.
inline float shift_max_lane(float m, float x) { return m < x ? x : m; }
inline float shift_min_lane(float m, float x) { return x < m ? x : m; }
// kMin: *lo also gets the row's min, under pmin (which may skip a NaN too), for exp_normal.
template <bool kMin = false>
float softmax_shift_contiguous(const float* x, int64_t n, float* lo = nullptr) {
  int64_t i = 0;
  float m = x[0], l = x[0];
  if (n >= 16) {
    simd::f32x4 a0 = simd::load(x), a1 = simd::load(x + 4), a2 = simd::load(x + 8), a3 = simd::load(x + 12);
    simd::f32x4 b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    // Note [Pointer-stepped loops]
    const float* const stop16 = x + (n & ~int64_t(15));
    for (const float* p = x + 16; p != stop16; p += 16) {
      const simd::f32x4 x0 = simd::load(p), x1 = simd::load(p + 4), x2 = simd::load(p + 8), x3 = simd::load(p + 12);
      a0 = simd::pmax(a0, x0);
      a1 = simd::pmax(a1, x1);
      a2 = simd::pmax(a2, x2);
      a3 = simd::pmax(a3, x3);
      if (kMin) {
        b0 = simd::pmin(b0, x0);
        b1 = simd::pmin(b1, x1);
        b2 = simd::pmin(b2, x2);
        b3 = simd::pmin(b3, x3);
      }
    }
    i = n & ~int64_t(15);
    float lanes[4];
    simd::store(lanes, simd::pmax(simd::pmax(a0, a1), simd::pmax(a2, a3)));
    m = shift_max_lane(shift_max_lane(lanes[0], lanes[1]), shift_max_lane(lanes[2], lanes[3]));
    if (kMin) {
      simd::store(lanes, simd::pmin(simd::pmin(b0, b1), simd::pmin(b2, b3)));
      l = shift_min_lane(shift_min_lane(lanes[0], lanes[1]), shift_min_lane(lanes[2], lanes[3]));
    }
  }
  for (; i < n; ++i) {
    m = shift_max_lane(m, x[i]);
    if (kMin) l = shift_min_lane(l, x[i]);
  }
  if (kMin) *lo = l;
  return m;
}

// e = exp(x - m) for a contiguous row; Exp is simd::exp<true> or, when every x - m is at least
// kNormalLo, simd::exp_normal (the same bits, fewer instructions). Note [Pointer-stepped loops].
template <typename Exp>
void softmax_exp_contiguous(float* op, const float* xp, int64_t n, float m, Exp exp) {
  const simd::f32x4 vm = simd::splat(m);
  const float* const stop16 = xp + (n & ~int64_t(15));
  for (; xp != stop16; xp += 16, op += 16) {
    const simd::f32x4 x0 = simd::load(xp), x1 = simd::load(xp + 4), x2 = simd::load(xp + 8), x3 = simd::load(xp + 12);
    simd::store(op, exp(simd::sub(x0, vm)));
    simd::store(op + 4, exp(simd::sub(x1, vm)));
    simd::store(op + 8, exp(simd::sub(x2, vm)));
    simd::store(op + 12, exp(simd::sub(x3, vm)));
  }
  const float* const stop4 = stop16 + ((n & 15) & ~int64_t(3));
  for (; xp != stop4; xp += 4, op += 4) simd::store(op, exp(simd::sub(simd::load(xp), vm)));
  for (int64_t k = 0; k < (n & 3); ++k) op[k] = simd::exp_lane(xp[k] - m);
}

// One contiguous row of softmax / log-softmax (Note [Fused softmax]).
void softmax_row_contiguous(float* o, const float* x, int64_t n, bool log) {
  float lo;
  const float m = softmax_shift_contiguous<true>(x, n, &lo);
  const simd::f32x4 vm = simd::splat(m);
  // e = exp(x - m) into out (log-softmax uses out as scratch), then summed by re-reading it
  // from L1: summing inside the exp loop needs more registers than x64 has for wasm (one row
  // of [64,1000]: 58 us fused-in-loop 74 us, standalone).
  if (lo - m >= simd::exp_constants::kNormalLo) {
    softmax_exp_contiguous(o, x, n, m, [](simd::f32x4 v) { return simd::exp_normal(v); });
  } else {
    softmax_exp_contiguous(o, x, n, m, [](simd::f32x4 v) { return simd::exp<true>(v); });
  }
  const float sum = sum_contiguous(o, n);
  const float* const end4 = x + (n & ~int64_t(3));
  const float* xp = x;
  float* op = o;
  if (log) {
    const float ls = std::log(sum);
    const simd::f32x4 vls = simd::splat(ls);
    for (; xp != end4; xp += 4, op += 4) simd::store(op, simd::sub(simd::sub(simd::load(xp), vm), vls));
    for (int64_t k = 0; k < (n & 3); ++k) op[k] = xp[k] - m - ls;
  } else {
    const float inv = 1.0f / sum;
    const simd::f32x4 vinv = simd::splat(inv);
    for (; op != o + (n & ~int64_t(15)); op += 16) {
      const simd::f32x4 e0 = simd::load(op), e1 = simd::load(op + 4), e2 = simd::load(op + 8), e3 = simd::load(op + 12);
      simd::store(op, simd::mul(e0, vinv));
      simd::store(op + 4, simd::mul(e1, vinv));
      simd::store(op + 8, simd::mul(e2, vinv));
      simd::store(op + 12, simd::mul(e3, vinv));
    }
    for (; op != o + (n & ~int64_t(3)); op += 4) simd::store(op, simd::mul(simd::load(op), vinv));
    for (int64_t k = 0; k < (n & 3); ++k) op[k] *= inv;
  }
}

// Four adjacent rows of a strided softmax (element i of row r at x[r + i * is]): sequential
// sums, as the scalar path's for a strided out.
void softmax_4_rows(float* o, const float* x, int64_t n, int64_t os, int64_t is, bool log) {
  simd::f32x4 m = simd::load(x);
  for (int64_t i = 1; i < n; ++i) m = simd::pmax(m, simd::load(x + i * is));
  simd::f32x4 sum = simd::zero();
  for (int64_t i = 0; i < n; ++i) {
    const simd::f32x4 e = simd::exp<true>(simd::sub(simd::load(x + i * is), m));
    if (!log) simd::store(o + i * os, e);
    sum = simd::add(sum, e);
  }
  if (log) {
    float sums[4], ls[4];
    simd::store(sums, sum);
    for (int r = 0; r < 4; ++r) ls[r] = std::log(sums[r]);
    const simd::f32x4 vls = simd::load(ls);
    for (int64_t i = 0; i < n; ++i) simd::store(o + i * os, simd::sub(simd::sub(simd::load(x + i * is), m), vls));
  } else {
    const simd::f32x4 inv = simd::div(simd::splat(1.0f), sum);
    for (int64_t i = 0; i < n; ++i) simd::store(o + i * os, simd::mul(simd::load(o + i * os), inv));
  }
}

}  // namespace

// Note [Fused softmax]
// A contiguous row (the common last-dim case) takes four passes over a row that stays in L1:
// the SIMD max (and min), exp(x - max) (Note [Vectorised exp]) stored, its sum, then one
// multiply by 1 / sum (log-softmax: x - max - log(sum), written over the stored exps). Rows
// whose starts are adjacent (softmax over a leading dim) go four at once, lane for lane the
// scalar strided path; other rows take that scalar path. A contiguous row whose min is within
// 87 of its max takes exp_normal (one scale factor, no clamp: the same bits as exp, ~15 %
// fewer instructions; softmax [64,1000] in Node 20, best of 15 x 300 calls: 56.0 -> 50.8 us).
// Every path gives exp's bits; the summation order is fixed per layout (a contiguous row sums as sum_contiguous, a strided row in order), so
// results are deterministic per build. The row max only shifts: a NaN it skips still makes
// the sum, and so the row, NaN, as in PyTorch.
void softmax(const Tensor& out, const Tensor& in, int64_t dim, bool log) {
  const int64_t n = in.size(dim);
  if (n == 0) return;
  const int64_t os = out.stride(dim), is = in.stride(dim);
  bool along[kMaxDims] = {};
  along[dim] = true;
  // Rows are independent: slices of whole rows (Note [Reductions split by output]).
  for_output_slices(in, along, [&](int64_t d, int64_t begin, int64_t end) {
    const Tensor out_first = row_starts(slice_of(out, d, begin, end), dim), in_first = row_starts(slice_of(in, d, begin, end), dim);
    return StridedLoop({&out_first, &in_first});
  }, [&](const StridedLoop& loop) {
    loop.run([&](char** p, const int64_t* s, int64_t count) {
      for (int64_t j = 0; j < count; ++j) {
        float* o = reinterpret_cast<float*>(p[0] + j * s[0]);
        const float* x = reinterpret_cast<const float*>(p[1] + j * s[1]);
        if (is == 1 && os == 1) {
          softmax_row_contiguous(o, x, n, log);
          continue;
        }
        // Rows whose first elements are adjacent in in and out (softmax over a leading dim):
        // four rows at once, lane r doing exactly what the scalar path below does for row r.
        if (os != 1 && s[0] == 4 && s[1] == 4 && j + 4 <= count) {
          softmax_4_rows(o, x, n, os, is, log);
          j += 3;
          continue;
        }
        float m = x[0];
        if (is == 1) {
          m = softmax_shift_contiguous(x, n);
        } else {
          for (int64_t i = 1; i < n; ++i) m = shift_max_lane(m, x[i * is]);
        }
        // e = exp(x - m) lands in out first; the sum reads it back in a fixed order.
        for (int64_t i = 0; i < n; ++i) o[i * os] = simd::exp_lane(x[i * is] - m);
        float sum = 0.0f;
        if (os == 1) {
          sum = sum_contiguous(o, n);
        } else {
          for (int64_t i = 0; i < n; ++i) sum += o[i * os];
        }
        if (log) {
          const float ls = std::log(sum);
          for (int64_t i = 0; i < n; ++i) o[i * os] = x[i * is] - m - ls;
        } else {
          const float inv = 1.0f / sum;
          int64_t i = 0;
          if (os == 1)
            for (; i + 4 <= n; i += 4) simd::store(o + i, simd::mul(simd::load(o + i), simd::splat(inv)));
          for (; i < n; ++i) o[i * os] *= inv;
        }
      }
    });
  });
}

void softmax_backward(const Tensor& grad_in, const Tensor& grad, const Tensor& y, int64_t dim,
                      bool log) {
  const int64_t n = grad_in.size(dim);
  if (n == 0) return;
  const int64_t gis = grad_in.stride(dim), gs = grad.stride(dim), ys = y.stride(dim);
  bool along[kMaxDims] = {};
  along[dim] = true;
  for_output_slices(grad_in, along, [&](int64_t d, int64_t begin, int64_t end) {
    const Tensor a = row_starts(slice_of(grad_in, d, begin, end), dim), b = row_starts(slice_of(grad, d, begin, end), dim),
                 c = row_starts(slice_of(y, d, begin, end), dim);
    return StridedLoop({&a, &b, &c});
  }, [&](const StridedLoop& loop) {
    loop.run([&](char** p, const int64_t* s, int64_t count) {
      for (int64_t j = 0; j < count; ++j) {
        float* gi = reinterpret_cast<float*>(p[0] + j * s[0]);
        const float* g = reinterpret_cast<const float*>(p[1] + j * s[1]);
        const float* yy = reinterpret_cast<const float*>(p[2] + j * s[2]);
        float sum = 0.0f;
        if (log) {
          if (gs == 1) {
            sum = sum_contiguous(g, n);
          } else {
            for (int64_t i = 0; i < n; ++i) sum += g[i * gs];
          }
          for (int64_t i = 0; i < n; ++i) gi[i * gis] = g[i * gs] - std::exp(yy[i * ys]) * sum;
        } else {
          for (int64_t i = 0; i < n; ++i) sum += g[i * gs] * yy[i * ys];
          for (int64_t i = 0; i < n; ++i) gi[i * gis] = (g[i * gs] - sum) * yy[i * ys];
        }
      }
    });
  });
}

}  // namespace kernels
}  // namespace webtorch
