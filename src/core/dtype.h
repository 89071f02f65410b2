#pragma once
// The element types. JavaScript learns this table from the engine at load time
// (dtype_count / dtype_name), so no enum is hand-synced across languages.

#include <cstddef>
#include <cstdint>

namespace webtorch {

enum class ScalarType : uint8_t { Float32 = 0, Int32 = 1, Bool = 2 };
constexpr int kNumScalarTypes = 3;

struct ScalarTypeInfo {
  const char* name;        // the API.md name: 'float32'
  const char* torch_name;  // PyTorch's short name, used in its messages: 'Float'
  uint8_t itemsize;
};

constexpr ScalarTypeInfo kScalarTypeInfo[kNumScalarTypes] = {
    {"float32", "Float", 4},
    {"int32", "Int", 4},
    {"bool", "Bool", 1},
};
static_assert(sizeof(kScalarTypeInfo) / sizeof(kScalarTypeInfo[0]) == kNumScalarTypes,
              "one info row per ScalarType");

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
    default:
      return fn(float{});
  }
}

}  // namespace webtorch
