// The generated autograd programs of tests/programs (recorded on torch 1.13.1 by
// generate_programs.py), replayed through the C++ API and compared after every step, as the
// JavaScript runner (tests/programs/program_runner.mjs) does on the wasm builds.
//
// Natively a program runs up to its first custom Function or optimizer step: both live in
// JavaScript (the Function's forward/backward are JS callbacks the resumable engine pauses
// for; optim.SGD/Adam are JS classes over fused C++ updates), so the steps after them are
// checked by the wasm runs only. Hooks use the same fixed vocabulary as native hooks.

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "autograd/hooks.h"
#include "autograd/variable.h"
#include "core/autograd_state.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "autograd/ops/ops.h"
#include "scenario_runner.h"

namespace webtorch_test {
namespace {

using namespace webtorch;

struct Recording {
  json header;
  std::vector<json> programs;
};

const Recording& recording() {
  static const Recording r = [] {
    Recording out;
    // WEBTORCH_PROGRAMS=F.jsonl.gz replays another recording (e.g. a 50,000-program seed).
    const char* env = std::getenv("WEBTORCH_PROGRAMS");
    const std::string file = env && *env ? env : WEBTORCH_PROGRAMS_FILE;
    gzFile f = gzopen(file.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + file);
    std::string text;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    gzclose(f);
    std::istringstream lines(text);
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      if (first) out.header = json::parse(line);
      else out.programs.push_back(json::parse(line));
      first = false;
    }
    return out;
  }();
  return r;
}

bool runs_in_javascript(const json& step) {
  const std::string k = step["do"];
  return k == "fn" || k == "optim" || k == "step" || k == "zeroGrad";
}

json enc(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

json flat(const Tensor& t) {
  json out = json::array();
  Tensor c = contiguous_clone(t);
  for (int64_t i = 0; i < c.numel(); ++i) out.push_back(enc(double(c.data<float>()[i])));
  return out;
}

json inspect(const Tensor& t) {
  json r = inspect_tensor(t);
  r.erase("ok");
  return r;
}

bool close(const json& a, const json& e) {
  if (e.is_string()) return a == e;  // "NaN", "Infinity", "-Infinity"
  if (!a.is_number() || a.is_boolean()) return false;
  return std::fabs(a.get<double>() - e.get<double>()) <= 1e-6 + 1e-5 * std::fabs(e.get<double>());
}

// The JavaScript runner's comparison: tolerance for numbers, {"unpinned": reason} matches anything.
bool same(const json& a, const json& e) {
  if (e.is_object() && e.contains("unpinned")) return true;
  if (e.is_number() && !e.is_boolean()) return close(a, e);
  if (e.is_string() && (e == "NaN" || e == "Infinity" || e == "-Infinity")) return close(a, e);
  if (e.is_array()) {
    if (!a.is_array() || a.size() != e.size()) return false;
    for (size_t i = 0; i < e.size(); ++i)
      if (!same(a[i], e[i])) return false;
    return true;
  }
  if (e.is_object()) {
    if (!a.is_object() || a.size() != e.size()) return false;
    for (auto it = e.begin(); it != e.end(); ++it)
      if (!a.contains(it.key()) || !same(a[it.key()], it.value())) return false;
    return true;
  }
  return a == e;
}

const char* kFields[] = {"shape", "dtype", "values", "requiresGrad", "isLeaf", "gradFn", "isInference", "isView", "version", "grad"};

std::vector<std::string> differences(const json& exp, const json& act) {
  std::vector<std::string> out;
  const bool ee = exp.contains("e"), ae = act.contains("e");
  if (ee && !ae) out.push_back("torch threw " + exp["e"].dump() + "; webtorch: ok");
  if (!ee && ae) out.push_back("torch: ok; webtorch threw " + act["e"].dump());
  if (ee && ae && !same(act["e"], exp["e"])) out.push_back("torch threw " + exp["e"].dump() + "; webtorch threw " + act["e"].dump());
  if (!same(act["m"], exp["m"])) out.push_back("modes: torch " + exp["m"].dump() + ", webtorch " + act["m"].dump());
  if (!same(act["h"], exp["h"])) out.push_back("hook calls: torch " + exp["h"].dump() + ", webtorch " + act["h"].dump());
  for (auto it = exp["s"].begin(); it != exp["s"].end(); ++it) {
    if (!act["s"].contains(it.key())) {
      out.push_back(it.key() + ": torch has it, webtorch does not");
      continue;
    }
    for (const char* f : kFields) {
      const json& a = act["s"][it.key()][f];
      const json& e = it.value()[f];
      if (!same(a, e)) out.push_back(it.key() + "." + f + ": torch " + e.dump() + ", webtorch " + a.dump());
    }
  }
  for (auto it = act["s"].begin(); it != act["s"].end(); ++it)
    if (!exp["s"].contains(it.key())) out.push_back(it.key() + ": webtorch has it, torch does not");
  return out;
}

struct Outcome {
  size_t steps_run = 0;
  bool cut = false;  // stopped at a custom Function or optimizer step
  std::string difference;
};

// Runs one program through run_scenario with an "observe" step after each step.
Outcome check_program(const json& program) {
  Outcome o;
  json steps = json::array();
  const json& all = program["steps"];
  size_t n = 0;
  for (; n < all.size() && !runs_in_javascript(all[n]); ++n) {
    steps.push_back(all[n]);
    steps.push_back(json{{"do", "observe"}});
  }
  o.cut = n < all.size();
  std::vector<json> hooks;
  std::vector<json> observed;
  int next_hook = 0;
  auto extra = [&](const json& step, std::map<std::string, Tensor>& vars) -> bool {
    const std::string kind = step["do"];
    if (kind == "hook") {
      const int id = next_hook++;
      const bool scale = step["hook"] == "scale";
      const double k = scale ? step["k"].get<double>() : 0;
      Hook h;
      h.native = [&hooks, id, scale, k](const Tensor& g) -> Tensor {
        NoGradGuard no_grad;  // hooks run with grad mode off, as the JavaScript runner's
        hooks.push_back(json::array({id, g.defined() ? flat(g) : json(nullptr)}));
        return scale && g.defined() ? mul(g, Scalar(k)) : Tensor();
      };
      autograd::register_hook(vars.at(step["t"].get<std::string>()), h);
      return true;
    }
    if (kind == "observe") {
      json r{{"m", json::array({GradMode::is_enabled(), InferenceMode::is_enabled()})}, {"h", hooks}};
      json s = json::object();
      for (auto& [name, t] : vars) s[name] = inspect(t);
      r["s"] = s;
      observed.push_back(r);
      hooks.clear();
      return true;
    }
    return false;
  };
  const json results = run_scenario(json{{"steps", steps}}, extra);
  AutogradState::set_tls_state(kDefaultAutogradState);
  json state = json::object();
  for (size_t i = 0; i < n; ++i) {
    const json& rec = program["record"][i];
    if (rec.contains("s"))
      for (auto it = rec["s"].begin(); it != rec["s"].end(); ++it) {
        if (it.value().is_null()) state.erase(it.key());
        else if (!state.contains(it.key())) state[it.key()] = it.value();
        else state[it.key()].update(it.value());
      }
    json exp{{"m", rec["m"]}, {"h", rec.value("h", json::array())}, {"s", state}};
    if (rec.contains("e")) exp["e"] = rec["e"];
    json act = observed.at(i);
    if (results[2 * i].contains("error")) act["e"] = results[2 * i]["error"];
    const auto diffs = differences(exp, act);
    o.steps_run = i + 1;
    if (!diffs.empty()) {
      std::string d = "program " + program["id"].dump() + ": step " + std::to_string(i) + " " + all[i].dump() + " differs:\n";
      for (size_t k = 0; k < diffs.size() && k < 6; ++k) d += "  " + diffs[k] + "\n";
      d += "  as JavaScript: node tests/programs/run.mjs --ids " + program["id"].dump() + "\n";
      o.difference = d;
      return o;
    }
  }
  return o;
}

TEST(Programs, RecordingHasAtLeast5000Programs) {
  EXPECT_GE(recording().programs.size(), 5000u);
  EXPECT_EQ(recording().header["programs"].get<size_t>(), recording().programs.size());
}

class ProgramChunk : public ::testing::TestWithParam<size_t> {};

constexpr size_t kChunk = 100;

TEST_P(ProgramChunk, AgreesWithTorchAtEveryStep) {
  const auto& programs = recording().programs;
  size_t steps = 0, cut = 0, differing = 0;
  std::string report;
  for (size_t i = GetParam(); i < programs.size() && i < GetParam() + kChunk; ++i) {
    const Outcome o = check_program(programs[i]);
    steps += o.steps_run;
    cut += o.cut;
    if (!o.difference.empty()) {
      ++differing;
      if (report.size() < 4000) report += o.difference;
    }
  }
  RecordProperty("steps", int(steps));
  RecordProperty("cut_at_javascript_step", int(cut));
  EXPECT_EQ(differing, 0u) << differing << " programs differ\n" << report;
}

std::vector<size_t> chunk_starts() {
  std::vector<size_t> v;
  for (size_t i = 0; i < recording().programs.size(); i += kChunk) v.push_back(i);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Recorded, ProgramChunk, ::testing::ValuesIn(chunk_starts()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return "from_" + std::to_string(info.param);
                         });

// How much of the recording runs natively (printed, so CI logs show it).
TEST(Programs, NativeCoverage) {
  size_t steps = 0, total = 0, whole = 0;
  for (const json& p : recording().programs) {
    size_t n = 0;
    while (n < p["steps"].size() && !runs_in_javascript(p["steps"][n])) ++n;
    steps += n;
    total += p["steps"].size();
    whole += n == p["steps"].size();
  }
  std::printf("[ programs ] native: %zu programs, %zu of %zu steps (up to the first custom Function or "
              "optimizer step); %zu programs entirely\n",
              recording().programs.size(), steps, total, whole);
  EXPECT_GT(steps, total / 4);
}

}  // namespace
}  // namespace webtorch_test
