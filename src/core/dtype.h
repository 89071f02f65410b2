#pragma once
// The element types, from js/constants.mjs (Note [Constants shared with C++]) through the
// generated webtorch_constants.h; the engine also reports them (dtype_count / dtype_name) and
// JavaScript checks at load that both agree.

#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "webtorch_constants.h"

namespace webtorch {

#define WT_SCALAR_TYPE_ENUMERATOR(e, name, torch, size, file) e,
enum class ScalarType : uint8_t { WEBTORCH_SCALAR_TYPES(WT_SCALAR_TYPE_ENUMERATOR) };
#undef WT_SCALAR_TYPE_ENUMERATOR
#define WT_SCALAR_TYPE_COUNT(e, name, torch, size, file) +1
constexpr int kNumScalarTypes = 0 WEBTORCH_SCALAR_TYPES(WT_SCALAR_TYPE_COUNT);
#undef WT_SCALAR_TYPE_COUNT

struct ScalarTypeInfo {
  const char* name;        // the API.md name: 'float32'
  const char* torch_name;  // PyTorch's short name, used in its messages: 'Float'
  uint8_t itemsize;
};

#define WT_SCALAR_TYPE_INFO(e, name, torch, size, file) {name, torch, size},
constexpr ScalarTypeInfo kScalarTypeInfo[kNumScalarTypes] = {WEBTORCH_SCALAR_TYPES(WT_SCALAR_TYPE_INFO)};
#undef WT_SCALAR_TYPE_INFO
static_assert(sizeof(kScalarTypeInfo) / sizeof(kScalarTypeInfo[0]) == kNumScalarTypes,
              "one info row per ScalarType");

// An index from outside (JavaScript, a file) as a ScalarType: an unknown one is an Error, never
// a fallback.
inline ScalarType scalar_type_from_index(int32_t i) {
  WT_CHECK(i >= 0 && i < kNumScalarTypes, "unknown dtype index ", i);
  return ScalarType(i);
}

inline const ScalarTypeInfo& info(ScalarType t) { return kScalarTypeInfo[int(t)]; }
inline size_t itemsize(ScalarType t) { return info(t).itemsize; }
inline const char* name(ScalarType t) { return info(t).name; }
inline const char* torch_name(ScalarType t) { return info(t).torch_name; }
inline bool is_floating(ScalarType t) { return t == ScalarType::Float32; }
inline bool is_integral(ScalarType t, bool include_bool) {
  return t == ScalarType::Int32 || (include_bool && t == ScalarType::Bool);
}

// PyTorch's promotion between our types: bool < int32 < float32.
inline int category_rank(ScalarType t) {
  return t == ScalarType::Float32 ? 2 : t == ScalarType::Int32 ? 1 : 0;
}
inline ScalarType promote_types(ScalarType a, ScalarType b) {
  return category_rank(a) >= category_rank(b) ? a : b;
}

// c10::canCast: no float -> integral, no non-bool -> bool.
inline bool can_cast(ScalarType from, ScalarType to) {
  if (is_floating(from) && is_integral(to, true)) return false;
  if (from != ScalarType::Bool && to == ScalarType::Bool) return false;
  return true;
}

template <class T>
struct CppTypeToScalarType;
template <>
struct CppTypeToScalarType<float> {
  static constexpr ScalarType value = ScalarType::Float32;
};
template <>
struct CppTypeToScalarType<int32_t> {
  static constexpr ScalarType value = ScalarType::Int32;
};
template <>
struct CppTypeToScalarType<bool> {
  static constexpr ScalarType value = ScalarType::Bool;
};

// Calls fn(T{}) with T the C++ type of `type` (float, int32_t or bool).
template <class Fn>
decltype(auto) dispatch_dtype(ScalarType type, Fn&& fn) {
  switch (type) {
    case ScalarType::Int32:
      return fn(int32_t{});
    case ScalarType::Bool:
      return fn(bool{});
    case ScalarType::Float32:
      return fn(float{});
  }
  // Only a ScalarType cast from an unchecked integer gets here: an Error, never float.
  throw_error(str("unknown dtype index ", int(type)));
}

}  // namespace webtorch
