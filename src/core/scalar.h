#pragma once
// A number from the user (a JavaScript number or boolean), with the category that
// decides type promotion: a float scalar promotes an int32 tensor to float32.

#include <cstdint>

#include "core/dtype.h"

namespace webtorch {

class Scalar {
 public:
  enum class Kind : uint8_t { Bool, Int, Float };
  Scalar(double v) : value_(v), kind_(Kind::Float) {}
  Scalar(float v) : value_(v), kind_(Kind::Float) {}
  Scalar(int v) : value_(v), kind_(Kind::Int) {}
  Scalar(int64_t v) : value_(double(v)), kind_(Kind::Int) {}
  Scalar(bool v) : value_(v ? 1.0 : 0.0), kind_(Kind::Bool) {}
  Scalar(double v, Kind kind) : value_(v), kind_(kind) {}

  double to_double() const { return value_; }
  Kind kind() const { return kind_; }
  bool is_floating() const { return kind_ == Kind::Float; }
  // The dtype a 0-dim tensor made from this number gets.
  ScalarType dtype() const {
    return kind_ == Kind::Float ? ScalarType::Float32
                                : kind_ == Kind::Int ? ScalarType::Int32 : ScalarType::Bool;
  }

 private:
  double value_;
  Kind kind_;
};

}  // namespace webtorch
