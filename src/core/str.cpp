#include "core/str.h"

#include <cmath>
#include <cstdio>

namespace webtorch {
namespace detail {

// As C++ streams print a double (c10::str uses them): 0, 2.5, 1e-05, inf, nan.
void append(std::string& s, double v) {
  if (std::isnan(v)) {
    s += "nan";
  } else if (std::isinf(v)) {
    s += v > 0 ? "inf" : "-inf";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    s += buf;
  }
}

void append(std::string& s, IntArrayRef v) {
  s += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(v[i]);
  }
  s += ']';
}

}  // namespace detail
}  // namespace webtorch
