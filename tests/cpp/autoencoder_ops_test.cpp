// tests/fixtures/autoencoder_ops.json (generate_autoencoder_ops.py: conv_transpose2d, the
// binary cross entropies, leaky_relu, elu against torch 1.13.1), replayed through the C++
// API; its `nnFunctional` steps call the C++ functions the JavaScript torch.nn.functional
// forms call.

#include <gtest/gtest.h>

#include "autograd/ops/nn_ops.h"
#include "core/autograd_state.h"
#include "scenario_runner.h"

namespace webtorch_test {
namespace {

using webtorch::DimVector;
using webtorch::Reduction;
using webtorch::Tensor;

const json& fixture() {
  static const json f = load_fixture("autoencoder_ops.json");
  return f;
}

// One nnFunctional step: args [tensors...], options {camelCase: value}.
bool nn_functional(const json& step, std::map<std::string, Tensor>& vars) {
  if (step["do"] != "nnFunctional") return false;
  const std::string fn = step["fn"];
  const json& args = step["args"];
  const json options = step.value("options", json::object());
  const auto tensor = [&](const json& a) { return a.is_null() ? Tensor() : vars.at(a["t"].get<std::string>()); };
  const auto arg = [&](size_t i) { return i < args.size() ? tensor(args[i]) : Tensor(); };
  const auto opt_tensor = [&](const char* k) { return options.contains(k) ? tensor(options[k]) : Tensor(); };
  const auto ints = [&](const char* k, int64_t dflt) {
    if (!options.contains(k)) return DimVector{dflt};
    if (options[k].is_number_integer()) return DimVector{options[k].get<int64_t>()};
    DimVector v;
    for (const json& x : options[k]) v.push_back(x.get<int64_t>());
    return v;
  };
  const auto reduction = [&] {
    const std::string r = options.value("reduction", "mean");
    return r == "none" ? Reduction::None : r == "sum" ? Reduction::Sum : Reduction::Mean;
  };
  Tensor out;
  if (fn == "convTranspose2d") {
    const Tensor bias = args.size() > 2 ? arg(2) : opt_tensor("bias");
    out = webtorch::conv_transpose2d(arg(0), arg(1), bias, ints("stride", 1), ints("padding", 0),
                                     ints("outputPadding", 0), ints("dilation", 1), options.value("groups", 1));
  } else if (fn == "binaryCrossEntropy") {
    out = webtorch::binary_cross_entropy(arg(0), arg(1), opt_tensor("weight"), reduction());
  } else if (fn == "binaryCrossEntropyWithLogits") {
    out = webtorch::binary_cross_entropy_with_logits(arg(0), arg(1), opt_tensor("weight"), opt_tensor("posWeight"),
                                                     reduction());
  } else if (fn == "leakyRelu") {
    const double slope = options.value("negativeSlope", 0.01);
    out = options.value("inplace", false) ? webtorch::leaky_relu_(arg(0), slope) : webtorch::leaky_relu(arg(0), slope);
  } else if (fn == "elu") {
    out = webtorch::elu(arg(0), options.value("alpha", 1.0));
  } else {
    throw std::runtime_error("nnFunctional " + fn + " is not in this runner");
  }
  vars[step["out"].get<std::string>()] = out;
  return true;
}

class AutoencoderOps : public ::testing::TestWithParam<size_t> {};

TEST_P(AutoencoderOps, MatchesTorch) {
  const json& scenario = fixture()["scenarios"][GetParam()];
  const json actual = run_scenario(scenario, nn_functional);
  const auto mismatches = compare_results(actual, scenario["expect"], scenario["steps"]);
  std::string report;
  for (const auto& m : mismatches) report += m + "\n";
  EXPECT_TRUE(mismatches.empty()) << scenario["name"].get<std::string>() << "\n" << report;
  EXPECT_EQ(webtorch::AutogradState::get_tls_state(), webtorch::kDefaultAutogradState);
  webtorch::AutogradState::set_tls_state(webtorch::kDefaultAutogradState);
}

std::vector<size_t> indices() {
  std::vector<size_t> v(fixture()["scenarios"].size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

std::string scenario_name(const ::testing::TestParamInfo<size_t>& info) {
  std::string n = std::to_string(info.param) + "_" + fixture()["scenarios"][info.param]["name"].get<std::string>();
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Fixture, AutoencoderOps, ::testing::ValuesIn(indices()), scenario_name);

}  // namespace
}  // namespace webtorch_test
