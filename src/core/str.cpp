#include "core/str.h"

#include <cmath>
#include <cstdio>

namespace webtorch {
namespace detail {

void append(std::string& s, double v) {
  if (std::isnan(v)) {
    s += "nan";
  } else if (std::isinf(v)) {
    s += v > 0 ? "inf" : "-inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);  // Python prints 2.0, not 2
    s += buf;
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
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
