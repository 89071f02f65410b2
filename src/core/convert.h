#pragma once
// Number conversions with defined results.
//
// Note [Defined conversions]
// C++ leaves a float -> integer conversion undefined when the value does not fit (NaN,
// +-inf, out of range), and the sanitizer build checks for it (float-cast-overflow). So:
//   - a float converted to int32 (tensor casts) gives INT32_MIN when it does not fit: what
//     PyTorch gives on x86 (cvttss2si) and what wasm's guarded truncation gave before;
//   - an integer scalar wraps modulo 2^32 into int32, as PyTorch's int64 scalars do when an
//     int32 tensor computes with them (torch.zeros(2, dtype=torch.int32).add(10**10) is
//     1410065408);
//   - fill_ and full refuse what c10's checked_convert refuses (overflows<T>(double)):
//     "value cannot be converted to type int without overflow".

#include <cfloat>
#include <cmath>
#include <cstdint>

#include "core/dtype.h"

namespace webtorch {

inline int32_t float_to_int32(double v) {
  if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;  // NaN fails both
  return int32_t(v);
}

// v holds an integer (a JavaScript integer); beyond int64 it does not fit anywhere.
inline int32_t integer_to_int32(double v) {
  if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT32_MIN;
  return int32_t(uint32_t(uint64_t(int64_t(v))));
}

// c10::overflows<T>(double) for our dtypes: int32 refuses NaN, +-inf and values outside its
// range; float32 refuses finite values beyond its range; bool takes anything.
inline bool overflows(double v, ScalarType t) {
  switch (t) {
    case ScalarType::Int32:
      return !(v >= -2147483648.0 && v <= 2147483647.0);
    case ScalarType::Float32:
      return std::isfinite(v) && (v < -double(FLT_MAX) || v > double(FLT_MAX));
    case ScalarType::Bool:
    default:
      return false;
  }
}

}  // namespace webtorch
