// The CNN layers natively (issue 15) against torch 1.13.1: every `cases` entry of
// tests/fixtures/cnn.json (generate_cnn.py) through the C++ API — batch_norm (the running
// statistics after the batch too), max_pool2d with its indices, avg_pool2d,
// adaptive_avg_pool2d: forward values and the input's gradient for one grad_output; and every
// scenario of cnn.json (grad_fn, create_graph gradients, second derivatives, torch's errors)
// through the scenario runner, with its nnFunctional step played here as torch.nn.functional
// (and js/nn/functional_cnn.mjs) calls the ops. The error scenarios inspect their inputs
// (and the running statistics) after the failed call: nothing changed.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "autograd/engine.h"
#include "autograd/ops/cnn_ops.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "scenario_runner.h"

using namespace webtorch;
using webtorch_test::json;
using webtorch_test::load_fixture;

namespace {

Tensor from_values(const std::vector<double>& v, const std::vector<int64_t>& shape) {
  Tensor t = empty(IntArrayRef(shape.data(), shape.size()));
  for (size_t i = 0; i < v.size(); ++i) t.data<float>()[i] = float(v[i]);
  return t;
}

std::vector<int64_t> ints(const json& j) {
  if (j.is_number_integer()) return {j.get<int64_t>()};
  return j.get<std::vector<int64_t>>();
}

void expect_close(const Tensor& t, const json& expected, const std::string& what) {
  const Tensor c = contiguous_clone(t);
  ASSERT_EQ(size_t(c.numel()), expected.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double e = expected[i].get<double>();
    ASSERT_NEAR(c.data<float>()[i], e, 1e-5 + 1e-5 * std::fabs(e)) << what << " at " << i;
  }
}

class CnnCase : public ::testing::TestWithParam<json> {};

TEST_P(CnnCase, MatchesTorch) {
  const json& c = GetParam();
  const std::vector<int64_t> shape = c["shape"].get<std::vector<int64_t>>();
  Tensor x = from_values(c["input"].get<std::vector<double>>(), shape);
  autograd::requires_grad_(x, true);
  const json& p = c["params"];
  const std::string fn = c["fn"];
  Tensor y, rm, rv;
  if (fn == "maxPool2d") {
    auto [values, indices] = max_pool2d_with_indices(x, ints(p["kernelSize"]), p["stride"].is_null() ? std::vector<int64_t>{} : ints(p["stride"]),
                                                     ints(p["padding"]), ints(p["dilation"]), p["ceilMode"].get<bool>());
    y = values;
    const std::vector<int64_t> want = c["indices"].get<std::vector<int64_t>>();
    ASSERT_EQ(size_t(indices.numel()), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(indices.data<int32_t>()[i], want[i]) << "index " << i;
  } else if (fn == "avgPool2d") {
    std::optional<int64_t> divisor;
    if (!p["divisorOverride"].is_null()) divisor = p["divisorOverride"].get<int64_t>();
    y = avg_pool2d(x, ints(p["kernelSize"]), p["stride"].is_null() ? std::vector<int64_t>{} : ints(p["stride"]),
                   ints(p["padding"]), p["ceilMode"].get<bool>(), p["countIncludePad"].get<bool>(), divisor);
  } else if (fn == "adaptiveAvgPool2d") {
    std::vector<int64_t> size = ints(p["outputSize"]);
    if (size.size() == 1) size.push_back(size[0]);
    y = adaptive_avg_pool2d(x, size);
  } else {
    const int64_t ch = shape[1];
    rm = from_values(p["runningMean"].get<std::vector<double>>(), {ch});
    rv = from_values(p["runningVar"].get<std::vector<double>>(), {ch});
    const Tensor w = from_values(p["weight"].get<std::vector<double>>(), {ch});
    const Tensor b = from_values(p["bias"].get<std::vector<double>>(), {ch});
    y = batch_norm(x, w, b, rm, rv, p["training"].get<bool>(), p["momentum"].get<double>(), p["eps"].get<double>());
    expect_close(rm, c["runningMeanAfter"], "running_mean");
    expect_close(rv, c["runningVarAfter"], "running_var");
  }
  expect_close(y, c["output"], "output");
  const Tensor gy = from_values(c["gradOutput"].get<std::vector<double>>(), c["outShape"].get<std::vector<int64_t>>());
  const variable_list g = autograd::grad({y}, {x}, {gy});
  expect_close(g[0], c["gradInput"], "grad input");
}

std::vector<json> cases() {
  const json fx = load_fixture("cnn.json");
  return std::vector<json>(fx["cases"].begin(), fx["cases"].end());
}

std::string case_name(const ::testing::TestParamInfo<json>& info) {
  std::string n = info.param["fn"].get<std::string>() + "_" + info.param["name"].get<std::string>();
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Fixture, CnnCase, ::testing::ValuesIn(cases()), case_name);

// ---- the scenarios: nnFunctional steps, positional arguments as the fixture gives them ----
const json& arg(const json& args, size_t i) {
  static const json none;
  return i < args.size() ? args[i] : none;
}
Tensor tensor_arg(const json& a, std::map<std::string, Tensor>& vars) {
  return a.is_null() ? Tensor() : vars.at(a["t"].get<std::string>());
}
std::vector<int64_t> ints_or(const json& a, std::vector<int64_t> fallback) { return a.is_null() ? fallback : ints(a); }

// F.batch_norm's _verify_batch_size (Python, and js/nn/functional_cnn.mjs): one value per
// channel in training.
void verify_batch_size(const Tensor& x) {
  int64_t values = x.size(0);
  for (int64_t d = 2; d < x.dim(); ++d) values *= x.size(d);
  WT_CHECK(values != 1, "Expected more than 1 value per channel when training, got input size torch.Size(",
           x.sizes(), ")");
}

bool nn_functional_step(const json& step, std::map<std::string, Tensor>& vars) {
  if (step["do"] != "nnFunctional") return false;
  const std::string fn = step["fn"];
  const json& a = step["args"];
  const Tensor x = tensor_arg(a[0], vars);
  Tensor out;
  if (fn == "batchNorm") {
    const bool training = arg(a, 5).is_null() ? false : arg(a, 5).get<bool>();
    if (training) verify_batch_size(x);
    out = batch_norm(x, tensor_arg(arg(a, 3), vars), tensor_arg(arg(a, 4), vars), tensor_arg(arg(a, 1), vars),
                     tensor_arg(arg(a, 2), vars), training, arg(a, 6).is_null() ? 0.1 : arg(a, 6).get<double>(),
                     arg(a, 7).is_null() ? 1e-5 : arg(a, 7).get<double>());
  } else if (fn == "maxPool2d") {
    out = std::get<0>(max_pool2d_with_indices(x, ints(a[1]), ints_or(arg(a, 2), {}), ints_or(arg(a, 3), {0}),
                                              ints_or(arg(a, 4), {1}), !arg(a, 5).is_null() && arg(a, 5).get<bool>()));
  } else if (fn == "avgPool2d") {
    std::optional<int64_t> divisor;
    if (!arg(a, 6).is_null()) divisor = arg(a, 6).get<int64_t>();
    out = avg_pool2d(x, ints(a[1]), ints_or(arg(a, 2), {}), ints_or(arg(a, 3), {0}),
                     !arg(a, 4).is_null() && arg(a, 4).get<bool>(), arg(a, 5).is_null() || arg(a, 5).get<bool>(), divisor);
  } else if (fn == "adaptiveAvgPool2d") {
    std::vector<int64_t> size;
    if (a[1].is_number_integer()) {
      size = {a[1].get<int64_t>(), a[1].get<int64_t>()};
    } else {
      for (size_t i = 0; i < a[1].size(); ++i)  // None keeps the input's size
        size.push_back(a[1][i].is_null() ? x.size(x.dim() - int64_t(a[1].size()) + int64_t(i)) : a[1][i].get<int64_t>());
    }
    out = adaptive_avg_pool2d(x, size);
  } else {
    return false;
  }
  vars[step["out"].get<std::string>()] = out;
  return true;
}

TEST(CnnScenarios, MatchTorch) {
  const json fx = load_fixture("cnn.json");
  int checked = 0;
  for (const json& scenario : fx["scenarios"]) {
    const json actual = webtorch_test::run_scenario(scenario, nn_functional_step);
    const std::vector<std::string> mismatches =
        webtorch_test::compare_results(actual, scenario["expect"], scenario["steps"]);
    EXPECT_TRUE(mismatches.empty()) << scenario["name"].get<std::string>() << ": " << mismatches.front();
    ++checked;
  }
  EXPECT_GT(checked, 100);  // the fixture was read
}

}  // namespace
