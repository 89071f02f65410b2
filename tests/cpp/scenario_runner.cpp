#include "scenario_runner.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "ops/ops.h"

namespace webtorch_test {

using namespace webtorch;

namespace {

ScalarType parse_dtype(const std::string& s) {
  if (s == "int32") return ScalarType::Int32;
  if (s == "bool") return ScalarType::Bool;
  return ScalarType::Float32;
}

void flatten(const json& data, std::vector<double>* values, DimVector* shape, size_t depth) {
  if (data.is_array()) {
    if (shape->size() == depth) shape->push_back(int64_t(data.size()));
    for (const json& d : data) flatten(d, values, shape, depth + 1);
  } else if (data.is_boolean()) {
    values->push_back(data.get<bool>() ? 1 : 0);
  } else {
    values->push_back(data.get<double>());
  }
}

json encode_value(double v, ScalarType dtype) {
  if (dtype == ScalarType::Bool) return v != 0;
  if (dtype == ScalarType::Int32) return int64_t(v);
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

json values_of(const Tensor& t) {
  json out = json::array();
  Tensor c = contiguous_clone(t);
  for (int64_t i = 0; i < c.numel(); ++i) {
    double v = dispatch_dtype(c.dtype(), [&](auto tag) {
      using T = decltype(tag);
      return double(c.data<T>()[i]);
    });
    out.push_back(encode_value(v, c.dtype()));
  }
  return out;
}

// A mode scope: one of the C++ guards, destroyed on exit.
struct Scope {
  virtual ~Scope() = default;
};
template <class Guard>
struct GuardScope : Scope {
  template <class... A>
  explicit GuardScope(A... a) : guard(a...) {}
  Guard guard;
};

std::unique_ptr<Scope> enter_mode(const std::string& m) {
  if (m == "noGrad") return std::make_unique<GuardScope<NoGradGuard>>();
  if (m == "enableGrad" || m == "gradOn") return std::make_unique<GuardScope<AutoGradMode>>(true);
  if (m == "gradOff") return std::make_unique<GuardScope<AutoGradMode>>(false);
  if (m == "inference") return std::make_unique<GuardScope<InferenceMode>>(true);
  if (m == "inferenceOff") return std::make_unique<GuardScope<InferenceMode>>(false);
  throw std::runtime_error("unknown mode " + m);
}

struct Arg {
  const json* j;
  const std::map<std::string, Tensor>* vars;
  bool is_tensor() const { return j->is_object() && j->contains("t"); }
  Tensor tensor() const { return vars->at((*j)["t"].get<std::string>()); }
  bool is_number() const { return j->is_number() || j->is_boolean(); }
  Scalar scalar() const {
    if (j->is_boolean()) return Scalar(j->get<bool>());
    if (j->is_number_integer()) return Scalar(j->get<int64_t>());
    return Scalar(j->get<double>());
  }
  int64_t i() const { return j->get<int64_t>(); }
  DimVector list() const {
    DimVector v;
    for (const json& x : *j) v.push_back(x.get<int64_t>());
    return v;
  }
};

using OpFn = std::function<std::optional<Tensor>(const Tensor&, const std::vector<Arg>&)>;

template <class TensorFn, class ScalarFn>
OpFn binary(TensorFn tf, ScalarFn sf) {
  return [tf, sf](const Tensor& self, const std::vector<Arg>& a) -> std::optional<Tensor> {
    if (a[0].is_tensor()) return tf(self, a[0].tensor());
    return sf(self, a[0].scalar());
  };
}

const std::map<std::string, OpFn>& op_table() {
  static const std::map<std::string, OpFn> table = {
      {"add", binary([](const Tensor& s, const Tensor& o) { return add(s, o); },
                     [](const Tensor& s, Scalar o) { return add(s, o); })},
      {"sub", binary([](const Tensor& s, const Tensor& o) { return sub(s, o); },
                     [](const Tensor& s, Scalar o) { return sub(s, o); })},
      {"mul", binary([](const Tensor& s, const Tensor& o) { return mul(s, o); },
                     [](const Tensor& s, Scalar o) { return mul(s, o); })},
      {"div", binary([](const Tensor& s, const Tensor& o) { return div(s, o); },
                     [](const Tensor& s, Scalar o) { return div(s, o); })},
      {"add_", binary([](const Tensor& s, const Tensor& o) { return add_(s, o); },
                      [](const Tensor& s, Scalar o) { return add_(s, o); })},
      {"sub_", binary([](const Tensor& s, const Tensor& o) { return sub_(s, o); },
                      [](const Tensor& s, Scalar o) { return sub_(s, o); })},
      {"mul_", binary([](const Tensor& s, const Tensor& o) { return mul_(s, o); },
                      [](const Tensor& s, Scalar o) { return mul_(s, o); })},
      {"div_", binary([](const Tensor& s, const Tensor& o) { return div_(s, o); },
                      [](const Tensor& s, Scalar o) { return div_(s, o); })},
      {"neg", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(neg(s)); }},
      {"relu", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(relu(s)); }},
      {"exp", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(exp(s)); }},
      {"sum",
       [](const Tensor& s, const std::vector<Arg>& a) -> std::optional<Tensor> {
         if (a.empty()) return sum(s);
         const DimVector dims = a[0].j->is_array() ? a[0].list() : DimVector{a[0].i()};
         return sum(s, dims, a.size() > 1 && a[1].j->get<bool>());
       }},
      {"mean",
       [](const Tensor& s, const std::vector<Arg>& a) -> std::optional<Tensor> {
         if (a.empty()) return mean(s);
         const DimVector dims = a[0].j->is_array() ? a[0].list() : DimVector{a[0].i()};
         return mean(s, dims, a.size() > 1 && a[1].j->get<bool>());
       }},
      {"matmul", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(matmul(s, a[0].tensor())); }},
      {"view", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(view(s, a[0].list())); }},
      {"reshape", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(reshape(s, a[0].list())); }},
      {"transpose", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(transpose(s, a[0].i(), a[1].i())); }},
      {"unsqueeze", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(unsqueeze(s, a[0].i())); }},
      {"zero_", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(zero_(s)); }},
      {"fill_", [](const Tensor& s, const std::vector<Arg>& a) { return std::optional<Tensor>(fill_(s, a[0].scalar())); }},
      {"clone", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(clone(s)); }},
      {"detach", [](const Tensor& s, const std::vector<Arg>&) { return std::optional<Tensor>(detach(s)); }},
      {"requiresGrad_",
       [](const Tensor& s, const std::vector<Arg>& a) -> std::optional<Tensor> {
         autograd::requires_grad_(s, a.empty() ? true : a[0].j->get<bool>());
         return s;
       }},
  };
  return table;
}

// Runs fn; returns {"error": message} when it throws webtorch::Error.
template <class Fn>
json guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return json{{"error", e.what()}};
  }
}

json inspect(const Tensor& t) {
  json r{{"ok", true}};
  r["shape"] = json(t.sizes().vec());
  r["dtype"] = name(t.dtype());
  r["values"] = guarded([&] { return values_of(t); });
  r["requiresGrad"] = t.requires_grad();
  r["isLeaf"] = guarded([&] { return json(autograd::is_leaf(t)); });
  r["gradFn"] = guarded([&]() -> json {
    auto fn = autograd::grad_fn(t);
    return fn ? json(fn->name()) : json(nullptr);
  });
  r["isInference"] = t.is_inference();
  r["isView"] = autograd::is_view(t);
  r["version"] = guarded([&] { return json(t.version()); });
  r["grad"] = guarded([&]() -> json {
    Tensor g = autograd::grad(t);
    return g.defined() ? values_of(g) : json(nullptr);
  });
  return r;
}

}  // namespace

json run_scenario(const json& scenario) {
  std::map<std::string, Tensor> vars;
  std::vector<std::unique_ptr<Scope>> scopes;
  json results = json::array();
  for (const json& step : scenario["steps"]) {
    const std::string kind = step["do"];
    json r = guarded([&]() -> json {
      if (kind == "tensor") {
        std::vector<double> values;
        DimVector shape;
        flatten(step["data"], &values, &shape, 0);
        Tensor t = from_values(values.data(), shape, parse_dtype(step["dtype"]));
        autograd::requires_grad_at_creation(t, step.value("requiresGrad", false));
        vars[step["out"]] = t;
      } else if (kind == "factory") {
        const std::string fn = step["fn"];
        const ScalarType dtype = parse_dtype(step.value("dtype", "float32"));
        DimVector shape;
        for (const json& x : step["args"][0]) shape.push_back(x.get<int64_t>());
        Tensor t;
        if (fn == "zeros") t = zeros(shape, dtype);
        else if (fn == "ones") t = ones(shape, dtype);
        else if (fn == "full") t = full(shape, Arg{&step["args"][1], &vars}.scalar(), dtype);
        else throw std::runtime_error("factory " + fn);
        autograd::requires_grad_at_creation(t, step.value("requiresGrad", false));
        vars[step["out"]] = t;
      } else if (kind == "call" || kind == "torchfn") {
        const std::string fn = step["fn"];
        const json& args = step["args"];
        Tensor self;
        std::vector<Arg> rest;
        size_t first = 0;
        if (kind == "call") {
          self = vars.at(step["self"].get<std::string>());
        } else {
          self = Arg{&args[0], &vars}.tensor();
          first = 1;
        }
        for (size_t i = first; i < args.size(); ++i) rest.push_back(Arg{&args[i], &vars});
        auto it = op_table().find(fn);
        if (it == op_table().end()) throw std::runtime_error("op not in the C++ runner: " + fn);
        std::optional<Tensor> out = it->second(self, rest);
        if (out && step.contains("out")) vars[step["out"]] = *out;
      } else if (kind == "enter") {
        scopes.push_back(enter_mode(step["mode"]));
      } else if (kind == "exit") {
        scopes.pop_back();
      } else if (kind == "setGradEnabled") {
        const bool prev = GradMode::is_enabled();
        GradMode::set_enabled(step["flag"].get<bool>());
        return json{{"ok", true}, {"prev", prev}};
      } else if (kind == "modes") {
        return json{{"ok", true}, {"grad", GradMode::is_enabled()}, {"inference", InferenceMode::is_enabled()}};
      } else if (kind == "inspect") {
        return inspect(vars.at(step["t"].get<std::string>()));
      } else if (kind == "backward") {
        variable_list grads;
        if (step.contains("gradient") && !step["gradient"].is_null())
          grads.push_back(vars.at(step["gradient"]["t"].get<std::string>()));
        autograd::backward({vars.at(step["t"].get<std::string>())}, grads,
                           step.value("retainGraph", false));
      } else if (kind == "grad") {
        variable_list outs, ins, grads;
        for (const json& n : step["outs"]) outs.push_back(vars.at(n.get<std::string>()));
        for (const json& n : step["ins"]) ins.push_back(vars.at(n.get<std::string>()));
        if (step.contains("gradOutputs") && !step["gradOutputs"].is_null())
          for (const json& g : step["gradOutputs"])
            grads.push_back(g.is_null() ? Tensor() : vars.at(g["t"].get<std::string>()));
        variable_list res = autograd::grad(outs, ins, grads, step.value("retainGraph", false));
        for (size_t i = 0; i < res.size() && i < step["out"].size(); ++i)
          vars[step["out"][i].get<std::string>()] = res[i];
      } else if (kind == "retainGrad") {
        autograd::retain_grad(vars.at(step["t"].get<std::string>()));
      } else if (kind == "detach") {
        vars[step["out"]] = detach(vars.at(step["t"].get<std::string>()));
      } else if (kind == "clone") {
        vars[step["out"]] = clone(vars.at(step["t"].get<std::string>()));
      } else if (kind == "dispose") {
        vars.erase(step["t"].get<std::string>());
      } else {
        throw std::runtime_error("unknown step " + kind);
      }
      return json{{"ok", true}};
    });
    results.push_back(r);
  }
  while (!scopes.empty()) scopes.pop_back();
  return results;
}

namespace {

bool numbers_match(double a, double e) { return std::fabs(a - e) <= 1e-6 + 1e-5 * std::fabs(e); }

void compare(const json& a, const json& e, const std::string& path, std::vector<std::string>* out) {
  if (e.is_object() && e.contains("unpinned")) return;
  if (e.is_string() && (e == "NaN" || e == "Infinity" || e == "-Infinity")) {
    if (!(a == e)) out->push_back(path + ": expected " + e.dump() + ", got " + a.dump());
    return;
  }
  if (e.is_number() && !e.is_boolean()) {
    if (!a.is_number() || !numbers_match(a.get<double>(), e.get<double>()))
      out->push_back(path + ": expected " + e.dump() + ", got " + a.dump());
    return;
  }
  if (e.is_array()) {
    if (!a.is_array() || a.size() != e.size()) {
      out->push_back(path + ": expected " + e.dump() + ", got " + a.dump());
      return;
    }
    for (size_t i = 0; i < e.size(); ++i) compare(a[i], e[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (e.is_object()) {
    if (!a.is_object()) {
      out->push_back(path + ": expected " + e.dump() + ", got " + a.dump());
      return;
    }
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (!a.contains(it.key())) {
        out->push_back(path + "." + it.key() + ": missing; expected " + it.value().dump() + " (got " + a.dump() + ")");
        continue;
      }
      compare(a[it.key()], it.value(), path + "." + it.key(), out);
    }
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!e.contains(it.key())) out->push_back(path + "." + it.key() + ": unexpected " + it.value().dump());
    return;
  }
  if (!(a == e)) out->push_back(path + ": expected " + e.dump() + ", got " + a.dump());
}

}  // namespace

std::vector<std::string> compare_results(const json& actual, const json& expected, const json& steps) {
  std::vector<std::string> out;
  for (size_t i = 0; i < expected.size(); ++i) {
    std::vector<std::string> mism;
    compare(i < actual.size() ? actual[i] : json(), expected[i], "", &mism);
    for (auto& m : mism) out.push_back("step " + std::to_string(i) + " " + steps[i].dump() + m);
  }
  return out;
}

json load_fixture(const std::string& name) {
  std::ifstream in(std::string(WEBTORCH_FIXTURES_DIR) + "/" + name);
  return json::parse(in);
}

}  // namespace webtorch_test
