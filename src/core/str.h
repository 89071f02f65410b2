#pragma once
// str(parts...): builds a message from strings, integers, floats and shapes,
// without iostreams (they would add weight to the wasm binary).

#include <cstdint>
#include <string>
#include <type_traits>

#include "core/array_ref.h"

namespace webtorch {

namespace detail {
inline void append(std::string& s, const std::string& v) { s += v; }
inline void append(std::string& s, const char* v) { s += v; }
inline void append(std::string& s, char v) { s += v; }
inline void append(std::string& s, bool v) { s += v ? "True" : "False"; }
void append(std::string& s, double v);
inline void append(std::string& s, float v) { append(s, static_cast<double>(v)); }
template <class T, typename std::enable_if<std::is_integral<T>::value &&
                                               !std::is_same<T, bool>::value &&
                                               !std::is_same<T, char>::value,
                                           int>::type = 0>
void append(std::string& s, T v) {
  s += std::to_string(v);
}
// Shapes print as PyTorch prints them: [2, 3].
void append(std::string& s, IntArrayRef v);
}  // namespace detail

template <class... Parts>
std::string str(const Parts&... parts) {
  std::string s;
  (detail::append(s, parts), ...);
  return s;
}

}  // namespace webtorch
