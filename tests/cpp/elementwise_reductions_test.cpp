// Issue 14's elementwise, reduction and random ops through the C++ API against PyTorch 1.13.1
// (tests/fixtures/elementwise_reductions.json, generate_elementwise_reductions.py): each case's
// result, gradient and double backward, or torch's error; the random ops' draws after the same
// manual_seed. The JavaScript runner is tests/js/elementwise_reductions.test.mjs.

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "autograd/engine.h"
#include "autograd/ops/ops.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "scenario_runner.h"

namespace webtorch_test {
namespace {

using namespace webtorch;

double decode(const json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return s == "NaN" ? NAN : s == "Infinity" ? INFINITY : -INFINITY;
  }
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  return v.get<double>();
}

ScalarType dtype_of(const json& name) {
  const std::string n = name.get<std::string>();
  return n == "int32" ? ScalarType::Int32 : n == "bool" ? ScalarType::Bool : ScalarType::Float32;
}

DimVector dims_of(const json& j) {
  DimVector d;
  if (j.is_array()) {
    for (const json& x : j) d.push_back(x.get<int64_t>());
  } else {
    d.push_back(j.get<int64_t>());
  }
  return d;
}

Tensor tensor_of(const json& values, const DimVector& shape, ScalarType dtype) {
  std::vector<double> v;
  for (const json& x : values) v.push_back(decode(x));
  return from_values(v.data(), shape, dtype);
}

// x.<op>(...args) as the JavaScript API takes it (positional args, then an options object).
Tensor call(const std::string& op, const Tensor& x, const json& args) {
  const json opts = !args.empty() && args.back().is_object() ? args.back() : json::object();
  json pos = json::array();
  for (const json& a : args)
    if (!a.is_object()) pos.push_back(a);
  auto opt = [&](const char* k, double d) { return opts.contains(k) ? decode(opts[k]) : d; };
  auto flag = [&](size_t k) { return pos.size() > k && pos[k].get<bool>(); };
  if (op == "sin") return sin(x);
  if (op == "cos") return cos(x);
  if (op == "rsqrt") return rsqrt(x);
  if (op == "erf") return erf(x);
  if (op == "silu") return silu(x);
  if (op == "softplus") {
    if (!pos.empty()) return softplus(x, decode(pos[0]), pos.size() > 1 ? decode(pos[1]) : 20);
    return softplus(x, opt("beta", 1), opt("threshold", 20));
  }
  if (op == "gelu") return gelu(x, opts.value("approximate", std::string("none")));
  if (op == "var" || op == "std") {
    std::optional<DimVector> dims;
    if (!pos.empty()) dims = dims_of(pos[0]);
    const double correction = opts.contains("correction") ? opt("correction", 1) : (opts.value("unbiased", true) ? 1 : 0);
    const bool keepdim = opts.value("keepdim", false);
    return op == "var" ? var(x, dims, correction, keepdim) : std_dev(x, dims, correction, keepdim);
  }
  if (op == "norm") {
    std::optional<DimVector> dims;
    if (pos.size() > 1) dims = dims_of(pos[1]);
    return norm(x, pos.empty() ? 2 : decode(pos[0]), dims, flag(2));
  }
  if (op == "logsumexp") return logsumexp(x, dims_of(pos[0]), flag(1));
  if (op == "any") return pos.empty() ? any(x) : any(x, dims_of(pos[0]), flag(1));
  if (op == "all") return pos.empty() ? all(x) : all(x, dims_of(pos[0]), flag(1));
  throw std::runtime_error("no op " + op);
}

void expect_values(const Tensor& t, const json& expected, const std::string& what) {
  const json actual = inspect_tensor(t)["values"];
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double a = decode(actual[i]), e = decode(expected[i]);
    const bool ok = std::isnan(e) ? std::isnan(a) : !std::isfinite(e) ? a == e : std::abs(a - e) <= 1e-6 + 1e-5 * std::abs(e);
    EXPECT_TRUE(ok) << what << "[" << i << "]: " << a << " vs torch " << e;
  }
}

struct Case {
  size_t index;
  std::string name;
};

const json& fixture() {
  static const json f = load_fixture("elementwise_reductions.json");
  return f;
}

std::vector<Case> cases(const char* key) {
  std::vector<Case> out;
  for (size_t i = 0; i < fixture()[key].size(); ++i) out.push_back({i, fixture()[key][i]["name"].get<std::string>()});
  return out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = std::to_string(info.param.index) + "_" + info.param.name;
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

class ElementwiseReductions : public ::testing::TestWithParam<Case> {};

TEST_P(ElementwiseReductions, MatchesTorch) {
  const json& c = fixture()["cases"][GetParam().index];
  const json& in = c["input"];
  const bool rg = c.contains("grad");
  const Tensor leaf = tensor_of(in["values"], dims_of(in["shape"]), dtype_of(in["dtype"]));
  if (rg) autograd::requires_grad_(leaf, true);
  const std::string layout = in["layout"].get<std::string>();
  const Tensor x = layout == "transposed" ? transpose(leaf, -1, -2)
                   : layout == "narrowed" ? narrow(leaf, -1, 1, leaf.size(leaf.dim() - 1) - 2)
                                          : leaf;
  if (c.contains("error")) {
    try {
      call(c["op"].get<std::string>(), x, c["args"]);
      ADD_FAILURE() << "expected torch's error: " << c["error"];
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(c["error"].get<std::string>()), std::string::npos) << e.what();
    }
    return;
  }
  const Tensor y = call(c["op"].get<std::string>(), x, c["args"]);
  const json seen = inspect_tensor(y);
  EXPECT_EQ(seen["shape"], c["result"]["shape"]);
  EXPECT_EQ(seen["dtype"], c["result"]["dtype"]);
  EXPECT_EQ(seen["gradFn"], c["result"]["gradFn"]);
  expect_values(y, c["result"]["values"], "value");
  if (!rg) return;
  const Tensor w = reshape(tensor_of(c["w"], {int64_t(c["w"].size())}, ScalarType::Float32), y.sizes());
  Tensor g = autograd::grad({sum(mul(y, w))}, {leaf}, {}, true, true, true)[0];
  if (!g.defined()) g = zeros_like(leaf);
  expect_values(g, c["grad"], "grad");
  if (c["gradgrad"].is_null()) return;
  const Tensor v = reshape(tensor_of(c["v"], {int64_t(c["v"].size())}, ScalarType::Float32), leaf.sizes());
  Tensor gg = autograd::grad({sum(mul(g, v))}, {leaf}, {}, false, true, false)[0];
  if (!gg.defined()) gg = zeros_like(leaf);
  expect_values(gg, c["gradgrad"], "gradgrad");
  autograd::set_grad(leaf, Tensor());
}

INSTANTIATE_TEST_SUITE_P(Cases, ElementwiseReductions, ::testing::ValuesIn(cases("cases")), case_name);

class RandomDraws : public ::testing::TestWithParam<Case> {};

TEST_P(RandomDraws, MatchTorchAfterTheSameSeed) {
  const json& r = fixture()["random"][GetParam().index];
  manual_seed(r["seed"].get<int64_t>());
  for (size_t k = 0; k < r["calls"].size(); ++k) {
    const json& a = r["calls"][k]["args"];
    const std::string fn = r["calls"][k]["fn"].get<std::string>();
    const json& expected = r["results"][k];
    auto run = [&]() -> Tensor {
      if (fn == "randint") {
        const ScalarType dt = a[3].contains("dtype") ? dtype_of(a[3]["dtype"]) : ScalarType::Int32;
        return randint(a[0].get<int64_t>(), a[1].get<int64_t>(), dims_of(a[2]), dt);
      }
      if (fn == "randperm") return randperm(a[0].get<int64_t>());
      const json& probs = a[0];
      DimVector shape{int64_t(probs.size())};
      json values = probs;
      if (probs[0].is_array()) {
        shape = {int64_t(probs.size()), int64_t(probs[0].size())};
        values = json::array();
        for (const json& row : probs)
          for (const json& x : row) values.push_back(x);
        if (probs[0][0].is_array()) return multinomial(ones({1, 1, 1}), a[1].get<int64_t>(), a[2].get<bool>());
      }
      return multinomial(tensor_of(values, shape, ScalarType::Float32), a[1].get<int64_t>(), a[2].get<bool>());
    };
    if (expected.contains("error")) {
      try {
        run();
        ADD_FAILURE() << "expected torch's error: " << expected["error"];
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(expected["error"].get<std::string>()), std::string::npos) << e.what();
      }
      continue;
    }
    const json seen = inspect_tensor(run());
    EXPECT_EQ(seen["shape"], expected["shape"]) << fn << " " << k;
    EXPECT_EQ(seen["dtype"], expected["dtype"]) << fn << " " << k;
    EXPECT_EQ(seen["values"], expected["values"]) << fn << " " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Random, RandomDraws, ::testing::ValuesIn(cases("random")), case_name);

// README, "Differences from PyTorch": a float32 randint over a range of 2^32 or more draws as
// torch's int64 kernel does.
TEST(RandomDraws, Float32RandintOverAWideRangeDrawsAsInt64) {
  for (const json& d : fixture()["knownDifferences"]) {
    manual_seed(d["seed"].get<int64_t>());
    const json& a = d["args"];
    const json seen = inspect_tensor(randint(a[0].get<int64_t>(), a[1].get<int64_t>(), dims_of(a[2]), ScalarType::Float32));
    EXPECT_EQ(seen["values"], d["webtorch"]);
    EXPECT_NE(seen["values"], d["torch"]);
  }
}

}  // namespace
}  // namespace webtorch_test
