#pragma once
// Replays the PyTorch-generated scenarios of tests/fixtures (see its README for the DSL)
// against the C++ API, and compares the results with what torch 1.13.1 did.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace webtorch_test {

using json = nlohmann::json;

// Steps the DSL does not know (tests/programs adds hooks and observations): called with the
// step and the variables; returns false for a kind it does not know either.
using ExtraStep = std::function<bool(const json& step, std::map<std::string, webtorch::Tensor>& vars)>;

// Runs the steps of one scenario; returns one result per step, in the fixture's format.
json run_scenario(const json& scenario, const ExtraStep& extra = {});

// The fields of an "inspect" step's result for t.
json inspect_tensor(const webtorch::Tensor& t);

// Mismatch descriptions between actual and expected results (empty when they agree),
// with the fixture's tolerance: |a - e| <= 1e-6 + 1e-5 * |e|.
std::vector<std::string> compare_results(const json& actual, const json& expected,
                                         const json& steps);

json load_fixture(const std::string& name);

}  // namespace webtorch_test
