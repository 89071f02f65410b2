#pragma once
// Replays the PyTorch-generated scenarios of tests/fixtures (see its README for the DSL)
// against the C++ API, and compares the results with what torch 1.13.1 did.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace webtorch_test {

using json = nlohmann::json;

// Runs the steps of one scenario; returns one result per step, in the fixture's format.
json run_scenario(const json& scenario);

// Mismatch descriptions between actual and expected results (empty when they agree),
// with the fixture's tolerance: |a - e| <= 1e-6 + 1e-5 * |e|.
std::vector<std::string> compare_results(const json& actual, const json& expected,
                                         const json& steps);

json load_fixture(const std::string& name);

}  // namespace webtorch_test
