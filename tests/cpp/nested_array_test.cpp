// src/io/nested_array: the reference semantics of torch.tensor(nestedArray)
// (Note [Nested-array semantics]); PyTorch 1.13.1's texts where PyTorch has one.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "io/nested_array.h"
#include "scenario_runner.h"

using webtorch::Error;
using webtorch::ScalarType;
using webtorch::io::NestedArray;
using webtorch::io::parse_nested_array;
using webtorch_test::json;
using webtorch_test::load_fixture;

namespace {

std::string error_of(const std::string& text, std::optional<ScalarType> dtype = std::nullopt) {
  try {
    parse_nested_array(text, dtype);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<int64_t> shape_of(const NestedArray& a) { return {a.shape.begin(), a.shape.end()}; }

ScalarType dtype_of(const std::string& name) {
  return name == "int32" ? ScalarType::Int32 : name == "bool" ? ScalarType::Bool : ScalarType::Float32;
}

// A number of the fixtures: NaN and the infinities are the strings "NaN", "Infinity", "-Infinity".
double number(const json& j) {
  if (!j.is_string()) return j.get<double>();
  const std::string s = j.get<std::string>();
  return s == "NaN" ? std::nan("") : s == "Infinity" ? HUGE_VAL : -HUGE_VAL;
}

}  // namespace

// Every case of tests/fixtures/literals.json (generate_literals.py: torch 1.13.1 on the same
// data with every number a float) the parser can read: torch's shape, dtype and values, or
// torch's error text (with JavaScript's names for Python's types).
TEST(NestedArray, LiteralsAsPyTorchReadsThem) {
  const json fixture = load_fixture("literals.json");
  int checked = 0;
  for (const json& c : fixture.at("cases")) {
    if (!c.at("cpp").get<bool>()) continue;
    const std::string text = c.at("text").get<std::string>();
    for (const auto& [key, want] : c.at("results").items()) {
      SCOPED_TRACE(c.at("name").get<std::string>() + " with dtype " + key);
      std::optional<ScalarType> dtype;
      if (key != "default") dtype = dtype_of(key);
      if (want.contains("message")) {
        EXPECT_EQ(error_of(text, dtype), want.at("message").get<std::string>());
      } else {
        const NestedArray a = parse_nested_array(text, dtype);
        EXPECT_EQ(shape_of(a), want.at("shape").get<std::vector<int64_t>>());
        EXPECT_EQ(a.dtype, dtype_of(want.at("dtype").get<std::string>()));
        std::vector<double> values;  // as the tensor will hold them
        for (double v : a.values) values.push_back(a.dtype == ScalarType::Float32 ? double(float(v)) : v);
        std::vector<double> expected;
        for (const json& v : want.at("values")) expected.push_back(number(v));
        ASSERT_EQ(values.size(), expected.size());
        for (size_t i = 0; i < values.size(); ++i) {
          if (std::isnan(expected[i])) EXPECT_TRUE(std::isnan(values[i]));
          else EXPECT_EQ(values[i], expected[i]) << "at " << i;
          if (a.dtype == ScalarType::Float32)  // -0 is an integer 0
            EXPECT_EQ(std::signbit(values[i]), std::signbit(expected[i])) << "at " << i;
        }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(NestedArray, NumbersAreFloats) {
  // JavaScript cannot tell 1.0 from 1 (Note [Literal dtypes] in js/data.mjs).
  NestedArray a = parse_nested_array(" [[1, 2, 3], [4, 5, 6]] ");
  EXPECT_EQ(shape_of(a), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.dtype, ScalarType::Float32);
  EXPECT_EQ(a.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(parse_nested_array("[1, 2.5e-1]").values, (std::vector<double>{1, 0.25}));
  EXPECT_EQ(parse_nested_array("[true, 2]").dtype, ScalarType::Float32);
  EXPECT_EQ(parse_nested_array("true").dtype, ScalarType::Bool);
  a = parse_nested_array("-7");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.values, (std::vector<double>{-7}));
  EXPECT_EQ(parse_nested_array("[1e400]").values[0], HUGE_VAL);  // JavaScript's Number('1e400')
  EXPECT_EQ(parse_nested_array("[1e300]", ScalarType::Float32).values[0], 1e300);  // rounds later
  EXPECT_EQ(error_of("[1, 4294967296]", ScalarType::Int32), "value cannot be converted to type int32 without overflow");
}

TEST(NestedArray, DepthIsLimitedWithoutRecursion) {
  std::string ok = std::string(16, '[') + "1" + std::string(16, ']');
  EXPECT_EQ(parse_nested_array(ok).shape.size(), 16u);
  std::string deep = std::string(17, '[') + "1" + std::string(17, ']');
  EXPECT_EQ(error_of(deep),
            "tensor(): too many dimensions: webtorch supports tensors of at most 16 dimensions");
  // Deep syntax where an element belongs: PyTorch's text, and no stack overflow.
  std::string very_deep = "[1, " + std::string(1000000, '[') + std::string(1000000, ']') + "]";
  EXPECT_EQ(error_of(very_deep), "must be real number, not Array");
}

TEST(NestedArray, SyntaxErrorsNameTheOffset) {
  EXPECT_EQ(error_of(""), "tensor(): invalid nested-array text at offset 0: the text ends where a value was expected");
  EXPECT_EQ(error_of("[1, 2"), "tensor(): invalid nested-array text at offset 5: the text ends where ',' or ']' was expected");
  EXPECT_EQ(error_of("[1,]"), "tensor(): invalid nested-array text at offset 3: unexpected ']'");
  EXPECT_EQ(error_of("[1 2]"), "tensor(): invalid nested-array text at offset 3: expected ',' or ']' but found '2'");
  EXPECT_EQ(error_of("[1] x"), "tensor(): invalid nested-array text at offset 4: unexpected 'x' after the end of the data");
  EXPECT_EQ(error_of("[\"a\"]"), "tensor(): invalid nested-array text at offset 1: unexpected '\"'");
  EXPECT_EQ(error_of("[01]"), "tensor(): invalid nested-array text at offset 2: expected ',' or ']' but found '1'");
  EXPECT_EQ(error_of("[1.]"), "tensor(): invalid nested-array text at offset 3: unexpected ']'");
  EXPECT_EQ(error_of("[-]"), "tensor(): invalid nested-array text at offset 2: unexpected ']'");
  EXPECT_EQ(error_of("[1e]"), "tensor(): invalid nested-array text at offset 3: unexpected ']'");
  EXPECT_EQ(error_of(std::string("[\x01]", 3)), "tensor(): invalid nested-array text at offset 1: unexpected byte 0x01");
  EXPECT_EQ(error_of("[tru]"), "tensor(): invalid nested-array text at offset 1: unexpected 't'");
}
