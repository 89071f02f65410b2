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
#include "autograd/ops/ops.h"
#include "autograd/ops/nn_ops.h"

// The op table's ops (js/op_table.mjs): their declarations here, their entries in op_table().
#define WT_RUNNER_DECLARATIONS
#include "scenario_ops.inc"
#undef WT_RUNNER_DECLARATIONS

namespace webtorch_test {

using namespace webtorch;

namespace {

// A dtype name of the DSL; an unknown one fails the scenario (never a float fallback).
ScalarType parse_dtype(const std::string& s) {
  for (int i = 0; i < kNumScalarTypes; ++i)
    if (s == name(ScalarType(i))) return ScalarType(i);
  throw std::runtime_error("unknown dtype " + s);
}

// A number of the DSL: NaN and the infinities are the strings "NaN", "Infinity", "-Infinity".
double number(const json& j) {
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return INFINITY;
    if (s == "-Infinity") return -INFINITY;
    throw std::runtime_error("bad number " + s);
  }
  return j.get<double>();
}

void flatten(const json& data, std::vector<double>* values, DimVector* shape, size_t depth) {
  if (data.is_array()) {
    if (shape->size() == depth) shape->push_back(int64_t(data.size()));
    for (const json& d : data) flatten(d, values, shape, depth + 1);
  } else if (data.is_boolean()) {
    values->push_back(data.get<bool>() ? 1 : 0);
  } else {
    values->push_back(number(data));
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
  bool is_null() const { return j->is_null(); }
  bool is_list() const { return j->is_array(); }
  Scalar scalar() const {
    if (j->is_boolean()) return Scalar(j->get<bool>());
    if (j->is_number_integer()) return Scalar(j->get<int64_t>());
    return Scalar(number(*j));
  }
  std::optional<Scalar> optional_scalar() const {
    if (is_null()) return std::nullopt;
    return scalar();
  }
  int64_t i() const { return j->get<int64_t>(); }
  bool flag() const { return j->get<bool>(); }
  std::vector<int64_t> longs() const { return j->get<std::vector<int64_t>>(); }
  DimVector list() const {
    DimVector v;
    for (const json& x : *j) v.push_back(x.get<int64_t>());
    return v;
  }
  std::vector<Tensor> tensors() const {
    std::vector<Tensor> v;
    for (const json& x : *j) v.push_back(vars->at(x["t"].get<std::string>()));
    return v;
  }
};

// A shape or dim list given as one list argument or as varargs (API.md: view([2, 3]) and
// view(2, 3)), from argument `first` on.
DimVector list_or_varargs(const std::vector<Arg>& a, size_t first = 0) {
  if (a.size() > first && a[first].is_list()) return a[first].list();
  DimVector v;
  for (size_t k = first; k < a.size(); ++k) v.push_back(a[k].i());
  return v;
}

// An optional trailing bool argument (keepdim).
bool flag_at(const std::vector<Arg>& a, size_t k) { return a.size() > k && a[k].flag(); }
int64_t int_at(const std::vector<Arg>& a, size_t k, int64_t dflt) { return a.size() > k && !a[k].is_null() ? a[k].i() : dflt; }

// clamp(minTensor, maxTensor): a tensor bound makes both bounds tensors (null is None).
bool tensor_bounds(const std::vector<Arg>& a) {
  for (const Arg& x : a)
    if (x.is_tensor()) return true;
  return false;
}
Tensor bound_tensor(const std::vector<Arg>& a, size_t k) {
  return a.size() > k && !a[k].is_null() ? a[k].tensor() : Tensor();
}

// What an op returns: nothing, one tensor, or a tuple (max/min with a dim).
using Results = std::vector<Tensor>;
using OpFn = std::function<Results(const Tensor&, const std::vector<Arg>&)>;

template <class TensorFn, class ScalarFn>
OpFn binary(TensorFn tf, ScalarFn sf) {
  return [tf, sf](const Tensor& self, const std::vector<Arg>& a) -> Results {
    if (a[0].is_tensor()) return {tf(self, a[0].tensor())};
    return {sf(self, a[0].scalar())};
  };
}

template <class Fn>
OpFn unary(Fn fn) {
  return [fn](const Tensor& self, const std::vector<Arg>&) -> Results { return {fn(self)}; };
}

// t.sum(dim?, keepdim) / t.mean(...): dim is one int or a list.
template <class AllFn, class DimFn>
OpFn reduction(AllFn all, DimFn dims) {
  return [all, dims](const Tensor& s, const std::vector<Arg>& a) -> Results {
    if (a.empty() || a[0].is_null()) return {all(s)};
    const DimVector d = a[0].is_list() ? a[0].list() : DimVector{a[0].i()};
    return {dims(s, d, flag_at(a, 1))};
  };
}

// t.max() / t.max(dim, keepdim?) -> Tensor or (values, indices); t.max(other) is maximum.
template <class AllFn, class DimFn>
OpFn max_min(AllFn all, DimFn dim, Tensor (*other)(const Tensor&, const Tensor&)) {
  return [all, dim, other](const Tensor& s, const std::vector<Arg>& a) -> Results {
    if (a.empty()) return {all(s)};
    if (a[0].is_tensor()) return {other(s, a[0].tensor())};  // max(other): the elementwise form
    auto [values, indices] = dim(s, a[0].i(), flag_at(a, 1));
    return {values, indices};
  };
}

// t.index(...) / t.indexPut_(...) entries (issue 14): a number, null (`:`), {"slice": [start,
// stop, step]} or a tensor.
TensorIndex tensor_index(const Arg& x) {
  TensorIndex out;
  const json& j = *x.j;
  if (x.is_tensor()) {
    out.kind = TensorIndex::Kind::Tensor;
    out.tensor = x.tensor();
  } else if (j.is_number()) {
    out.kind = TensorIndex::Kind::Integer;
    out.integer = x.i();
  } else if (j.is_object() && j.contains("slice")) {
    const json& s = j["slice"];
    if (!s[0].is_null()) out.start = s[0].get<int64_t>();
    if (!s[1].is_null()) out.stop = s[1].get<int64_t>();
    out.step = s[2].is_null() ? 1 : s[2].get<int64_t>();
  }
  return out;
}
std::vector<TensorIndex> tensor_indices(const json& list, const std::map<std::string, Tensor>* vars) {
  std::vector<TensorIndex> out;
  for (const json& x : list) out.push_back(tensor_index(Arg{&x, vars}));
  return out;
}
// An options object {"options": {...}}: its flag `key`, false when absent.
bool option_flag(const std::vector<Arg>& a, size_t k, const char* key) {
  if (a.size() <= k) return false;
  const json& o = (*a[k].j)["options"];
  return o.contains(key) && o[key].get<bool>();
}

#define WT_BINARY_OP(name)                                                   \
  {#name, binary([](const Tensor& s, const Tensor& o) { return name(s, o); }, \
                 [](const Tensor& s, Scalar o) { return name(s, o); })}

const std::map<std::string, OpFn>& op_table() {
  static const std::map<std::string, OpFn> table = {
#include "scenario_ops.inc"
      // The ops of form 'custom' in the table, and requiresGrad_.
      WT_BINARY_OP(pow),
      {"clamp",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (tensor_bounds(a)) return {clamp(s, bound_tensor(a, 0), bound_tensor(a, 1))};
         return {clamp(s, a.size() > 0 ? a[0].optional_scalar() : std::nullopt,
                       a.size() > 1 ? a[1].optional_scalar() : std::nullopt)};
       }},
      {"clamp_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (tensor_bounds(a)) return {clamp_(s, bound_tensor(a, 0), bound_tensor(a, 1))};
         return {clamp_(s, a.size() > 0 ? a[0].optional_scalar() : std::nullopt,
                        a.size() > 1 ? a[1].optional_scalar() : std::nullopt)};
       }},
      {"max", max_min([](const Tensor& s) { return max(s); },
                      [](const Tensor& s, int64_t d, bool k) { return max(s, d, k); }, maximum)},
      {"min", max_min([](const Tensor& s) { return min(s); },
                      [](const Tensor& s, int64_t d, bool k) { return min(s, d, k); }, minimum)},
      {"argmax",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         std::optional<int64_t> dim;
         if (!a.empty() && !a[0].is_null()) dim = a[0].i();
         return {argmax(s, dim, flag_at(a, 1))};
       }},
      {"squeeze",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a.empty() || a[0].is_null()) return {squeeze(s)};
         return {squeeze(s, a[0].i())};
       }},
      {"zero_", unary([](const Tensor& s) { return zero_(s); })},
      {"fill_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         return {a[0].is_tensor() ? fill_(s, a[0].tensor()) : fill_(s, a[0].scalar())};
       }},
      {"copy_", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {copy_(s, a[0].tensor())}; }},
      // ---- indexing (issue 14) ----
      {"indexSelect",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {index_select(s, a[0].i(), a[1].tensor())}; }},
      {"gather", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {gather(s, a[0].i(), a[1].tensor())}; }},
      {"scatter",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a[2].is_tensor()) return {scatter(s, a[0].i(), a[1].tensor(), a[2].tensor())};
         return {scatter(s, a[0].i(), a[1].tensor(), a[2].scalar())};
       }},
      {"scatter_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a[2].is_tensor()) return {scatter_(s, a[0].i(), a[1].tensor(), a[2].tensor())};
         return {scatter_(s, a[0].i(), a[1].tensor(), a[2].scalar())};
       }},
      {"scatterAdd",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         return {scatter_add(s, a[0].i(), a[1].tensor(), a[2].tensor())};
       }},
      {"scatterAdd_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         return {scatter_add_(s, a[0].i(), a[1].tensor(), a[2].tensor())};
       }},
      {"maskedFill",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a[1].is_tensor()) return {masked_fill(s, a[0].tensor(), a[1].tensor())};
         return {masked_fill(s, a[0].tensor(), a[1].scalar())};
       }},
      {"maskedFill_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a[1].is_tensor()) return {masked_fill_(s, a[0].tensor(), a[1].tensor())};
         return {masked_fill_(s, a[0].tensor(), a[1].scalar())};
       }},
      {"index",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         std::vector<TensorIndex> idx;
         for (const Arg& x : a) idx.push_back(tensor_index(x));
         return {get_item(s, idx)};
       }},
      {"indexPut_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         const std::vector<TensorIndex> idx = tensor_indices(*a[0].j, a[0].vars);
         const bool accumulate = option_flag(a, 2, "accumulate");
         if (a[1].is_tensor()) return {set_item(s, idx, a[1].tensor(), accumulate)};
         return {set_item(s, idx, a[1].scalar(), accumulate)};
       }},
      {"requiresGrad_",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         autograd::requires_grad_(s, a.empty() ? true : a[0].flag());
         return {s};
       }},
      // ---- shape and ordering (issue 14) ----
      {"tril", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {tril(s, int_at(a, 0, 0))}; }},
      {"triu", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {triu(s, int_at(a, 0, 0))}; }},
      {"tril_", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {tril_(s, int_at(a, 0, 0))}; }},
      {"triu_", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return {triu_(s, int_at(a, 0, 0))}; }},
      {"split",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         if (a[0].is_list()) return split_with_sizes(s, a[0].longs(), int_at(a, 1, 0));
         return split(s, a[0].i(), int_at(a, 1, 0));
       }},
      {"chunk", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return chunk(s, a[0].i(), int_at(a, 1, 0)); }},
      {"unbind", [](const Tensor& s, const std::vector<Arg>& a) -> Results { return unbind(s, int_at(a, 0, 0)); }},
      {"roll",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         const auto list = [](const Arg& x) { return x.is_list() ? x.longs() : std::vector<int64_t>{x.i()}; };
         return {roll(s, list(a[0]), a.size() > 1 && !a[1].is_null() ? list(a[1]) : std::vector<int64_t>{})};
       }},
      {"sort",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         auto [values, indices] = sort(s, int_at(a, 0, -1), flag_at(a, 1));
         return {values, indices};
       }},
      {"topk",
       [](const Tensor& s, const std::vector<Arg>& a) -> Results {
         auto [values, indices] = topk(s, a[0].i(), int_at(a, 1, -1), a.size() > 2 ? a[2].flag() : true,
                                       a.size() > 3 ? a[3].flag() : true);
         return {values, indices};
       }},
  };
  return table;
}

// torch.NAME(...) forms whose first argument is not the tensor the method form is called on;
// every other torch.NAME(t, ...) is t.NAME(...).
using TorchFn = std::function<Results(const std::vector<Arg>&)>;

// torch.NAME(x, y) of a binary op: x may be a number (wrapped, as PyTorch does).
template <class Fn>
TorchFn scalar_first(Fn fn, const char* name) {
  return [fn, name](const std::vector<Arg>& a) -> Results {
    if (a[0].is_tensor()) return op_table().at(name)(a[0].tensor(), {a.begin() + 1, a.end()});
    return {fn(scalar_to_tensor(a[0].scalar()), a[1].tensor())};
  };
}

const std::map<std::string, TorchFn>& torchfn_table() {
  static const std::map<std::string, TorchFn> table = {
      {"where",
       [](const std::vector<Arg>& a) -> Results {
         const Tensor c = a[0].tensor();
         const Arg& x = a[1];
         const Arg& y = a[2];
         if (x.is_tensor() && y.is_tensor()) return {where(c, x.tensor(), y.tensor())};
         if (x.is_tensor()) return {where(c, x.tensor(), y.scalar())};
         if (y.is_tensor()) return {where(c, x.scalar(), y.tensor())};
         // Two numbers make a new tensor, so JavaScript reads them as floats (Note [Literal
         // dtypes] in js/data.mjs); booleans stay bool.
         const auto literal = [](const Arg& v) {
           const Scalar s = v.scalar();
           return s.kind() == Scalar::Kind::Int ? Scalar(s.to_double()) : s;
         };
         return {where(c, literal(x), literal(y))};
       }},
      // torch.sub(2, t): a number first is a wrapped number tensor.
      {"add", scalar_first([](const Tensor& s, const Tensor& o) { return add(s, o); }, "add")},
      {"sub", scalar_first([](const Tensor& s, const Tensor& o) { return sub(s, o); }, "sub")},
      {"mul", scalar_first([](const Tensor& s, const Tensor& o) { return mul(s, o); }, "mul")},
      {"div", scalar_first([](const Tensor& s, const Tensor& o) { return div(s, o); }, "div")},
      {"pow",
       [](const std::vector<Arg>& a) -> Results {
         if (a[0].is_tensor()) {
           const Tensor s = a[0].tensor();
           return a[1].is_tensor() ? Results{pow(s, a[1].tensor())} : Results{pow(s, a[1].scalar())};
         }
         return {pow(a[0].scalar(), a[1].tensor())};
       }},
      {"cat",
       [](const std::vector<Arg>& a) -> Results { return {cat(a[0].tensors(), a.size() > 1 ? a[1].i() : 0)}; }},
      {"stack",
       [](const std::vector<Arg>& a) -> Results { return {stack(a[0].tensors(), a.size() > 1 ? a[1].i() : 0)}; }},
      // torch.embedding / torch.layerNorm (transformer.json).
      {"embedding",
       [](const std::vector<Arg>& a) -> Results {
         return {embedding(a[0].tensor(), a[1].tensor(), a.size() > 2 ? a[2].i() : -1)};
       }},
      {"layerNorm",
       [](const std::vector<Arg>& a) -> Results {
         const auto opt = [&](size_t i) { return a.size() > i && !a[i].is_null() ? a[i].tensor() : Tensor(); };
         return {layer_norm(a[0].tensor(), a[1].list(), opt(2), opt(3), a.size() > 4 ? a[4].scalar().to_double() : 1e-5)};
       }},
      {"manualSeed",
       [](const std::vector<Arg>& a) -> Results {
         manual_seed(a[0].i());
         return {};
       }},
  };
  return table;
}

// torch[F](...args, {dtype}) for the factories.
Tensor make_factory(const std::string& fn, const json& args, ScalarType dtype,
                    const std::map<std::string, Tensor>& vars) {
  std::vector<Arg> a;
  for (const json& x : args) a.push_back(Arg{&x, &vars});
  if (fn == "zeros") return zeros(a[0].list(), dtype);
  if (fn == "ones") return ones(a[0].list(), dtype);
  if (fn == "full") return full(a[0].list(), a[1].scalar(), dtype);
  if (fn == "empty") return empty(a[0].list(), dtype);
  if (fn == "rand") return rand(a[0].list(), dtype);
  if (fn == "randn") return randn(a[0].list(), dtype);
  if (fn == "zerosLike") return zeros(a[0].tensor().sizes(), dtype);
  if (fn == "onesLike") return ones(a[0].tensor().sizes(), dtype);
  if (fn == "eye") {
    const int64_t n = a[0].i();
    return eye(n, a.size() > 1 ? a[1].i() : n, dtype);
  }
  if (fn == "arange") {
    const double first = number(args[0]);
    if (a.size() == 1) return arange(0, first, 1, dtype);
    return arange(first, number(args[1]), a.size() > 2 ? number(args[2]) : 1, dtype);
  }
  throw std::runtime_error("factory " + fn);
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

// The hooks of registerHook steps (tests/fixtures/README.md, "Hooks, grads and
// optimizers"), as native C++ hooks; "log" appends to seen.
static Hook make_hook(const json& spec, const std::shared_ptr<json>& seen) {
  const std::string kind = spec["kind"];
  if (kind == "mul") {
    const double by = spec["by"];
    return Hook{[by](const Tensor& g) { return mul(g, Scalar(by)); }, -1};
  }
  if (kind == "log") {
    const std::string name = spec["name"];
    return Hook{[seen, name](const Tensor& g) {
                  seen->push_back(json::array({name, values_of(g)}));
                  return Tensor();
                },
                -1};
  }
  throw std::runtime_error("hook kind " + kind);
}

json inspect_tensor(const Tensor& t) { return inspect(t); }

json run_scenario(const json& scenario, const ExtraStep& extra) {
  std::map<std::string, Tensor> vars;
  std::vector<std::unique_ptr<Scope>> scopes;
  auto seen = std::make_shared<json>(json::array());
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
        const ScalarType dtype = parse_dtype(step.value("dtype", "float32"));
        Tensor t = make_factory(step["fn"], step["args"], dtype, vars);
        autograd::requires_grad_at_creation(t, step.value("requiresGrad", false));
        vars[step["out"]] = t;
      } else if (kind == "call" || kind == "torchfn") {
        const std::string fn = step["fn"];
        const json& args = step["args"];
        Results out;
        auto tf = torchfn_table().find(fn);
        if (kind == "torchfn" && tf != torchfn_table().end()) {
          std::vector<Arg> all;
          for (const json& x : args) all.push_back(Arg{&x, &vars});
          out = tf->second(all);
        } else {
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
          out = it->second(self, rest);
        }
        // out binds a name to the result, or each name of a list to a tuple element.
        if (step.contains("out") && step["out"].is_array()) {
          for (size_t i = 0; i < step["out"].size() && i < out.size(); ++i)
            vars[step["out"][i].get<std::string>()] = out[i];
        } else if (step.contains("out") && !step["out"].is_null() && !out.empty()) {
          vars[step["out"]] = out[0];
        }
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
                           step.value("retainGraph", step.value("createGraph", false)),
                           step.value("createGraph", false));
      } else if (kind == "grad") {
        variable_list outs, ins, grads;
        for (const json& n : step["outs"]) outs.push_back(vars.at(n.get<std::string>()));
        for (const json& n : step["ins"]) ins.push_back(vars.at(n.get<std::string>()));
        if (step.contains("gradOutputs") && !step["gradOutputs"].is_null())
          for (const json& g : step["gradOutputs"])
            grads.push_back(g.is_null() ? Tensor() : vars.at(g["t"].get<std::string>()));
        variable_list res = autograd::grad(outs, ins, grads, step.value("retainGraph", step.value("createGraph", false)),
                                           step.value("allowUnused", false), step.value("createGraph", false));
        for (size_t i = 0; i < res.size() && i < step["out"].size(); ++i)
          if (res[i].defined()) vars[step["out"][i].get<std::string>()] = res[i];  // None: unbound
      } else if (kind == "retainGrad") {
        autograd::retain_grad(vars.at(step["t"].get<std::string>()));
      } else if (kind == "detach") {
        vars[step["out"]] = detach(vars.at(step["t"].get<std::string>()));
      } else if (kind == "clone") {
        vars[step["out"]] = clone(vars.at(step["t"].get<std::string>()));
      } else if (kind == "dispose") {
        vars.erase(step["t"].get<std::string>());
      } else if (kind == "isContiguous") {
        return json{{"ok", true}, {"value", vars.at(step["t"].get<std::string>()).is_contiguous()}};
      } else if (kind == "to") {
        vars[step["out"]] = to(vars.at(step["t"].get<std::string>()), parse_dtype(step["dtype"]));
      } else if (kind == "registerHook") {
        autograd::register_hook(vars.at(step["t"].get<std::string>()), make_hook(step["hook"], seen));
      } else if (kind == "hookLog") {
        return json{{"ok", true}, {"seen", *seen}};
      } else if (kind == "gradOf") {
        Tensor g = autograd::grad(vars.at(step["t"].get<std::string>()));
        if (!g.defined()) return json{{"ok", true}, {"isNone", true}};
        vars[step["out"]] = g;
        return json{{"ok", true}, {"isNone", false}};
      } else if (kind == "setGrad") {
        const json& v = step["value"];
        autograd::set_grad(vars.at(step["t"].get<std::string>()),
                           v.is_null() ? Tensor() : vars.at(v["t"].get<std::string>()));
      } else if (kind == "prop") {
        if (step["name"] != "retainsGrad") throw std::runtime_error("prop " + step["name"].dump());
        return json{{"ok", true}, {"value", autograd::retains_grad(vars.at(step["t"].get<std::string>()))}};
      } else if (!extra || !extra(step, vars)) {
        throw std::runtime_error("unknown step " + kind);
      }
      return json{{"ok", true}};
    });
    results.push_back(r);
  }
  while (!scopes.empty()) scopes.pop_back();
  // A .grad made with createGraph has a history that reaches its leaf's AccumulateGrad, which
  // holds the leaf: the reference cycle PyTorch 1.13 warns about ("Using backward() with
  // create_graph=True will create a reference cycle between the parameter and its gradient").
  // As PyTorch advises, the gradients are reset when the scenario ends.
  for (auto& entry : vars)
    if (entry.second.defined() && autograd::grad(entry.second).defined()) autograd::set_grad(entry.second, Tensor());
  return results;
}

namespace {

bool numbers_match(double a, double e) { return std::fabs(a - e) <= 1e-6 + 1e-5 * std::fabs(e); }

void compare(const json& a, const json& e, const std::string& path, std::vector<std::string>* out) {
  // {"knownDifference": item, "torch": t, "webtorch": w}: a documented difference from PyTorch
  // 1.13.1 (tests/fixtures/README.md, "Known differences"); webtorch must give w.
  if (e.is_object() && e.contains("knownDifference")) {
    if (!e["knownDifference"].is_string() || !e.contains("torch") || !e.contains("webtorch")) {
      out->push_back(path + ": malformed knownDifference entry " + e.dump());
      return;
    }
    compare(a, e["webtorch"], path, out);
    return;
  }
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
