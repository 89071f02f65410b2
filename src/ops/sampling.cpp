// torch.randint, torch.randperm and torch.multinomial on the default generator, drawing as
// PyTorch 1.13's CPU kernels draw (Note [CPU generator]), so that after the same manual_seed
// the results are torch's:
//   randint:  element after element, random() % range + low (random64() when range >= 2^32);
//   randperm: 0..n-1, then for i < n - 1 swap i with i + random() % (n - i);
//   multinomial with replacement: per row the float cumulative distribution normalised by its
//     sum (last bucket forced to 1), per sample a 53-bit uniform double and a binary search
//     for the first bucket >= it;
//   without replacement: q = an exponential(1) draw per element
//     (-log(1 - u), u a 53-bit uniform double, rounded to float), the n largest of p / q
//     (argmax for one sample).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/generator.h"
#include "kernels/random.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {
// PyTorch's names of the dtypes in random_'s bound checks.
const char* bound_type_name(ScalarType t) {
  return t == ScalarType::Bool ? "bool" : t == ScalarType::Int32 ? "int" : "float";
}

void check_randint_bounds(int64_t low, int64_t high, ScalarType dtype) {
  WT_CHECK(low < high, "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  double lo = 0, hi = 1;  // the range of the dtype
  if (dtype == ScalarType::Int32) {
    lo = double(std::numeric_limits<int32_t>::min());
    hi = double(std::numeric_limits<int32_t>::max());
  } else if (dtype == ScalarType::Float32) {  // torch only warns beyond 2^24
    lo = -double(std::numeric_limits<float>::max());
    hi = double(std::numeric_limits<float>::max());
  }
  WT_CHECK(double(low) >= lo && double(low) <= hi, "from is out of bounds for ", bound_type_name(dtype));
  WT_CHECK(double(high - 1) >= lo && double(high - 1) <= hi, "to - 1 is out of bounds for ", bound_type_name(dtype));
}

void store(const Tensor& t, int64_t i, double v) {
  switch (t.dtype()) {
    case ScalarType::Int32: t.data<int32_t>()[i] = int32_t(v); break;
    case ScalarType::Bool: t.data<bool>()[i] = v != 0; break;
    default: t.data<float>()[i] = float(v); break;
  }
}

void check_sizes(IntArrayRef sizes) {
  for (int64_t s : sizes) WT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", sizes);
}

// The rows of a 1-D or 2-D probability tensor, as contiguous float rows.
struct Rows {
  Tensor data;
  int64_t count, width;
  const float* row(int64_t i) const { return data.data<float>() + i * width; }
};

Rows probability_rows(const Tensor& probs) {
  const Tensor c = contiguous_clone(probs);
  return Rows{c, probs.dim() == 1 ? 1 : probs.size(0), probs.size(probs.dim() - 1)};
}

void sample_with_replacement(const Rows& p, int64_t n_sample, int32_t* out, CPUGenerator& gen) {
  std::vector<float> cum(size_t(p.width));
  for (int64_t i = 0; i < p.count; ++i) {
    const float* row = p.row(i);
    float total = 0;
    for (int64_t j = 0; j < p.width; ++j) {
      WT_CHECK(row[j] >= 0, "invalid multinomial distribution (encountering probability entry < 0)");
      WT_CHECK(std::isfinite(row[j]), "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
      total += row[j];
      cum[size_t(j)] = total;
    }
    WT_CHECK(total > 0, "invalid multinomial distribution (sum of probabilities <= 0)");
    for (float& c : cum) c /= total;
    cum.back() = 1;
    for (int64_t k = 0; k < n_sample; ++k) {
      const double u = kernels::uniform_real_double(gen);
      out[i * n_sample + k] = int32_t(std::lower_bound(cum.begin(), cum.end(), u, [](float c, double v) { return c < v; }) - cum.begin());
    }
  }
}

void sample_without_replacement(const Rows& p, int64_t n_sample, int32_t* out, CPUGenerator& gen) {
  for (int64_t i = 0; i < p.count * p.width; ++i) {
    const float v = p.data.data<float>()[i];
    WT_CHECK(std::isfinite(v) && v >= 0, "probability tensor contains either `inf`, `nan` or element < 0");
  }
  for (int64_t i = 0; i < p.count; ++i) {
    const float* row = p.row(i);
    WT_CHECK(std::accumulate(row, row + p.width, 0.0f) != 0, "invalid multinomial distribution (sum of probabilities <= 0)");
  }
  std::vector<float> keys(size_t(p.count * p.width));
  for (size_t i = 0; i < keys.size(); ++i) {
    const float q = float(-std::log(1.0 - kernels::uniform_real_double(gen)));
    keys[i] = p.data.data<float>()[i] / q;
  }
  std::vector<int32_t> order(size_t(p.width));
  for (int64_t i = 0; i < p.count; ++i) {
    const float* key = keys.data() + i * p.width;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [key](int32_t a, int32_t b) { return key[a] > key[b]; });
    std::copy(order.begin(), order.begin() + n_sample, out + i * n_sample);
  }
}
}  // namespace

Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, ScalarType dtype) {
  check_sizes(sizes);
  check_randint_bounds(low, high, dtype);
  Tensor t = empty(sizes, dtype);
  const uint64_t range = uint64_t(high - low);
  CPUGenerator& gen = default_generator();
  for (int64_t i = 0; i < t.numel(); ++i) {
    const uint64_t draw = range >= (uint64_t(1) << 32) ? gen.random64() : uint64_t(gen.random());
    store(t, i, double(int64_t(draw % range) + low));
  }
  return t;
}

Tensor randperm(int64_t n, ScalarType dtype) {
  check_sizes({n});
  check_dispatch(dtype != ScalarType::Bool, "randperm", dtype);
  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  CPUGenerator& gen = default_generator();
  for (int64_t i = 0; i + 1 < n; ++i) {
    const int64_t z = int64_t(gen.random() % uint64_t(n - i));
    std::swap(perm[size_t(i)], perm[size_t(i + z)]);
  }
  Tensor t = empty({n}, dtype);
  for (int64_t i = 0; i < n; ++i) store(t, i, double(perm[size_t(i)]));
  return t;
}

Tensor multinomial(const Tensor& probs, int64_t n_sample, bool replacement) {
  WT_CHECK(is_floating(probs.dtype()), "multinomial only supports floating-point dtypes for input, got: ", torch_name(probs.dtype()));
  WT_CHECK(probs.dim() > 0 && probs.dim() <= 2, "prob_dist must be 1 or 2 dim");
  WT_CHECK(n_sample > 0, "cannot sample n_sample <= 0 samples");
  const int64_t n_categories = probs.size(probs.dim() - 1);
  WT_CHECK(replacement || n_sample <= n_categories, "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  const Rows p = probability_rows(probs);
  Tensor out = probs.dim() == 1 ? empty({n_sample}, ScalarType::Int32) : empty({p.count, n_sample}, ScalarType::Int32);
  if (!replacement) sample_without_replacement(p, n_sample, out.data<int32_t>(), default_generator());
  else sample_with_replacement(p, n_sample, out.data<int32_t>(), default_generator());
  return out;
}

}  // namespace webtorch
