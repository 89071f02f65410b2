// libFuzzer target: the nested-array parser (src/io/nested_array.h) on arbitrary bytes.
// Every input must either parse or throw webtorch::Error with a message; anything else (a
// crash, a sanitizer report, another exception type, a broken invariant) is a finding.
// On success the result must be consistent and survive a round trip through its canonical
// text with the same shape, dtype and values.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "core/error.h"
#include "io/nested_array.h"

using webtorch::ScalarType;
using webtorch::io::NestedArray;
using webtorch::io::parse_nested_array;

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "nested_array_fuzz: %s\n", what);
  std::abort();
}

void write_value(std::string& out, double v, ScalarType dtype) {
  if (dtype == ScalarType::Bool) {
    out += v != 0 ? "true" : "false";
  } else if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    out += buf;
  }
}

std::string canonical(const NestedArray& a) {
  std::string out;
  if (a.shape.size() == 0) {
    write_value(out, a.values[0], a.dtype);
    return out;
  }
  const size_t ndim = a.shape.size();
  if (a.values.empty()) {
    // No elements: the nested empty arrays up to the first 0 ([[[], []]] is [1, 2, 0]).
    std::function<void(size_t)> empty = [&](size_t d) {
      out += '[';
      for (int64_t i = 0; a.shape[d] != 0 && i < a.shape[d]; ++i) {
        if (i) out += ',';
        empty(d + 1);
      }
      out += ']';
    };
    empty(0);
    return out;
  }
  // Row-major odometer over the shape, opening and closing brackets as indices roll over.
  for (size_t d = 0; d < ndim; ++d) out += '[';
  std::vector<int64_t> index(ndim, 0);
  size_t k = 0;
  for (;;) {
    write_value(out, a.values[k++], a.dtype);
    size_t d = ndim;
    while (d > 0 && ++index[d - 1] == a.shape[d - 1]) {
      index[d - 1] = 0;
      out += ']';
      --d;
    }
    if (d == 0) return out;
    out += ',';
    for (size_t e = d; e < ndim; ++e) out += '[';
  }
}

bool same(const NestedArray& a, const NestedArray& b) {
  if (a.dtype != b.dtype || a.shape.size() != b.shape.size() || a.values.size() != b.values.size()) return false;
  for (size_t d = 0; d < a.shape.size(); ++d)
    if (a.shape[d] != b.shape[d]) return false;
  for (size_t i = 0; i < a.values.size(); ++i) {
    const double x = a.values[i], y = b.values[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
  }
  return true;
}

void check(std::string_view text, std::optional<ScalarType> dtype) {
  NestedArray a;
  try {
    a = parse_nested_array(text, dtype);
  } catch (const webtorch::Error& e) {
    if (e.message().empty()) finding("an Error with an empty message");
    return;
  }
  int64_t numel = 1;
  for (size_t d = 0; d < a.shape.size(); ++d) numel *= a.shape[d];
  if (int64_t(a.values.size()) != numel) finding("values do not fill the shape");
  if (a.shape.size() > size_t(webtorch::kMaxDims)) finding("too many dims accepted");
  if (dtype && a.dtype != *dtype) finding("the requested dtype was not used");
  for (double v : a.values) {
    if (a.dtype == ScalarType::Int32 && !(v >= -2147483648.0 && v <= 2147483647.0 && v == std::trunc(v)))
      finding("an int32 value out of range");
    if (a.dtype == ScalarType::Bool && v != 0 && v != 1) finding("a bool value other than 0/1");
  }
  const std::string text2 = canonical(a);
  NestedArray b;
  try {
    b = parse_nested_array(text2, a.dtype);
  } catch (const webtorch::Error& e) {
    std::fprintf(stderr, "canonical text %s: %s\n", text2.c_str(), e.what());
    finding("the canonical text of a result does not parse");
  }
  if (!same(a, b)) finding("the canonical text parses to a different result");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, std::nullopt);
  check(text, ScalarType(size % webtorch::kNumScalarTypes));
  return 0;
}
