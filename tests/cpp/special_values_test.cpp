// tests/fixtures/special_values.json natively (the scalar twin of the SIMD vocabulary, Note
// [SIMD and its scalar twin]): every elementwise op at the special float32 values, with the
// layouts and the class / sign / tolerance rule of tests/js/special_values.test.mjs.

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "autograd/ops/ops.h"
#include "scenario_runner.h"

using namespace webtorch;
using webtorch_test::json;

namespace {

const json& fixture() {
  static const json f = webtorch_test::load_fixture("special_values.json");
  return f;
}
double dec(const json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return s == "NaN" ? NAN : s == "Infinity" ? INFINITY : -INFINITY;
  }
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  return v.get<double>();
}
int64_t row() { return fixture()["row"].get<int64_t>(); }
std::vector<double> values() {
  std::vector<double> out;
  for (const json& v : fixture()["values"]) out.push_back(dec(v));
  return out;
}

std::string value_class(double v) {
  if (std::isnan(v)) return "nan";
  const std::string sign = std::signbit(v) ? "-" : "+";
  if (std::isinf(v)) return sign + "inf";
  if (v == 0) return sign + "0";
  return sign + (std::fabs(v) < 0x1p-126 ? "subnormal" : "normal");
}
bool agrees(double a, double e) {
  if (value_class(a) != value_class(e)) return false;
  if (!std::isfinite(e) || e == 0) return true;
  return std::fabs(a - e) <= std::max(1e-5 * std::fabs(e), 0x1p-148);
}

// Softmax gradients y * (w - sum(w * y)) cancel where w is near the weighted sum: there the
// sum's rounding (its order) decides the last digits and the sign of a tiny result, so they are
// compared with an absolute tolerance (the fixtures' usual 1e-5 scale); NaN and inf exactly.
bool agrees_loosely(double a, double e) {
  if (!std::isfinite(e)) return value_class(a) == value_class(e);
  return std::isfinite(a) && std::fabs(a - e) <= 1e-5 + 1e-5 * std::fabs(e);
}

// As rowsOf in the JS test: "rows" (narrowed from [n, row + 1]), "transposed", "column".
Tensor rows_of(const std::vector<double>& v, const std::string& layout) {
  const int64_t n = int64_t(v.size()), r = row();
  std::vector<double> data;
  if (layout == "transposed") {
    for (int64_t c = 0; c < r; ++c) data.insert(data.end(), v.begin(), v.end());
    return t(from_values(data.data(), {r, n}, ScalarType::Float32));
  }
  if (layout == "column") return from_values(v.data(), {n, 1}, ScalarType::Float32);
  for (double x : v) data.insert(data.end(), size_t(r + 1), x);
  return narrow(from_values(data.data(), {n, r + 1}, ScalarType::Float32), 1, 0, r);
}

std::vector<double> read(const Tensor& t) {
  Tensor c = contiguous_clone(t);
  std::vector<double> out(size_t(c.numel()));
  for (int64_t i = 0; i < c.numel(); ++i)
    out[size_t(i)] = c.dtype() == ScalarType::Bool ? double(c.data<bool>()[i]) : double(c.data<float>()[i]);
  return out;
}

// Every row k of got (n * row values) against expected[k]; the first miss of a row is reported.
void check(std::vector<std::string>* failures, const std::string& what, const std::vector<double>& got,
           const json& expected) {
  const int64_t r = row();
  for (size_t k = 0; k < expected.size(); ++k) {
    const double want = dec(expected[k]);
    for (int64_t c = 0; c < r; ++c) {
      const double g = got[k * size_t(r) + size_t(c)];
      if (!agrees(g, want)) {
        failures->push_back(what + " #" + std::to_string(k) + " col " + std::to_string(c) + ": got " +
                            std::to_string(g) + (std::signbit(g) ? " (-)" : "") + ", torch " +
                            std::to_string(want) + (std::signbit(want) ? " (-)" : ""));
        break;
      }
    }
  }
}

std::optional<Scalar> bound(const json& v) {
  if (v.is_null()) return std::nullopt;
  return Scalar(dec(v));
}

Tensor apply_unary(const json& c, const Tensor& x) {
  const std::string op = c["op"];
  const json& args = c["args"];
  if (op == "clamp") return clamp(x, bound(args[0]), bound(args[1]));
  if (op == "pow") return pow(x, Scalar(dec(args[0])));
  if (op == "rpow") return pow(Scalar(dec(args[0])), x);
  if (op == "neg") return neg(x);
  if (op == "abs") return abs(x);
  if (op == "exp") return exp(x);
  if (op == "log") return log(x);
  if (op == "sqrt") return sqrt(x);
  if (op == "tanh") return tanh(x);
  if (op == "sigmoid") return sigmoid(x);
  if (op == "relu") return relu(x);
  if (op == "gelu") return gelu(x);
  throw std::runtime_error("unary op not in the C++ sweep: " + op);
}

Tensor apply_binary(const json& c, const Tensor& a, const Tensor& b) {
  const std::string op = c["op"];
  const Scalar alpha = c.contains("alpha") ? Scalar(c["alpha"].get<double>()) : Scalar(1);
  if (op == "add") return add(a, b, alpha);
  if (op == "sub") return sub(a, b, alpha);
  if (op == "mul") return mul(a, b);
  if (op == "div") return div(a, b);
  if (op == "pow") return pow(a, b);
  if (op == "maximum") return maximum(a, b);
  if (op == "minimum") return minimum(a, b);
  if (op == "eq") return eq(a, b);
  if (op == "lt") return lt(a, b);
  if (op == "gt") return gt(a, b);
  if (op == "le") return le(a, b);
  if (op == "ge") return ge(a, b);
  if (op == "whereGt") return where(gt(a, b), a, b);
  throw std::runtime_error("binary op not in the C++ sweep: " + op);
}

Tensor leaf(Tensor t) {
  autograd::requires_grad_at_creation(t, true);
  return t;
}

std::vector<std::string> run_case(const json& c) {
  std::vector<std::string> failures;
  const std::string kind = c["kind"];
  const std::vector<double> vs = values();
  const int64_t r = row();
  if (kind == "unary") {
    for (const char* layout : {"rows", "transposed"})
      check(&failures, layout, read(apply_unary(c, rows_of(vs, layout))), c["expect"]);
    if (c.contains("grad")) {
      std::vector<double> grads;
      for (double v : vs) {
        Tensor x = leaf(full({r}, Scalar(v), ScalarType::Float32));
        Tensor y = apply_unary(c, x);
        autograd::backward({y}, {ones_like(y)}, false);
        const std::vector<double> g = read(autograd::grad(x));
        grads.insert(grads.end(), g.begin(), g.end());
      }
      check(&failures, "grad", grads, c["grad"]);
    }
  } else if (kind == "binary") {
    std::vector<double> as, bs;
    for (double a : vs)
      for (double b : vs) as.push_back(a), bs.push_back(b);
    const std::pair<const char*, const char*> layouts[] = {
        {"rows", "rows"}, {"rows", "column"}, {"column", "rows"}, {"transposed", "rows"}};
    for (const auto& [la, lb] : layouts)
      check(&failures, std::string(la) + "/" + lb, read(apply_binary(c, rows_of(as, la), rows_of(bs, lb))), c["expect"]);
    if (c.contains("gradSelf")) {
      Tensor a = leaf(contiguous_clone(rows_of(as, "rows")));
      Tensor b = leaf(contiguous_clone(rows_of(bs, "rows")));
      Tensor y = apply_binary(c, a, b);
      autograd::backward({y}, {ones_like(y)}, false);
      check(&failures, "grad self", read(autograd::grad(a)), c["gradSelf"]);
      check(&failures, "grad other", read(autograd::grad(b)), c["gradOther"]);
    }
  } else {
    std::vector<double> xs, ws;
    for (const json& rw : c["rows"])
      for (const json& v : rw) xs.push_back(dec(v));
    for (const json& rw : c["weights"])
      for (const json& v : rw) ws.push_back(dec(v));
    const int64_t n = int64_t(c["rows"].size());
    Tensor x = leaf(from_values(xs.data(), {n, r}, ScalarType::Float32));
    Tensor y = c["op"] == "softmax" ? softmax(x, 1) : log_softmax(x, 1);
    autograd::backward({y}, {from_values(ws.data(), {n, r}, ScalarType::Float32)}, false);
    const std::vector<double> yv = read(y), gv = read(autograd::grad(x));
    size_t i = 0;
    for (const json& rw : c["expect"])
      for (const json& e : rw) {
        if (!agrees(yv[i], dec(e))) failures.push_back("value " + std::to_string(i) + ": got " + std::to_string(yv[i]));
        ++i;
      }
    i = 0;
    for (const json& rw : c["grad"])
      for (const json& e : rw) {
        if (!agrees_loosely(gv[i], dec(e))) failures.push_back("grad " + std::to_string(i) + ": got " + std::to_string(gv[i]));
        ++i;
      }
  }
  return failures;
}

TEST(SpecialValues, EveryCaseAgreesWithTorch) {
  ASSERT_GE(fixture()["cases"].size(), 55u);
  int failing = 0;
  for (const json& c : fixture()["cases"]) {
    const std::vector<std::string> f = run_case(c);
    if (f.empty()) continue;
    ++failing;
    std::string text;
    for (size_t k = 0; k < f.size() && k < 12; ++k) text += "\n  " + f[k];
    ADD_FAILURE() << c["name"].get<std::string>() << ": " << f.size() << " failures" << text;
  }
  EXPECT_EQ(failing, 0);
}

}  // namespace
