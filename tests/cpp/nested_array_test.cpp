// src/io/nested_array: the reference semantics of torch.tensor(nestedArray)
// (Note [Nested-array semantics]); PyTorch 1.13.1's texts where PyTorch has one.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "io/nested_array.h"

using webtorch::Error;
using webtorch::ScalarType;
using webtorch::io::NestedArray;
using webtorch::io::parse_nested_array;

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

}  // namespace

TEST(NestedArray, ShapesValuesAndInferredDtypes) {
  NestedArray a = parse_nested_array(" [[1, 2, 3], [4, 5, 6]] ");
  EXPECT_EQ(shape_of(a), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.dtype, ScalarType::Int32);
  EXPECT_EQ(a.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));

  a = parse_nested_array("[1, 2.5e-1]");
  EXPECT_EQ(a.dtype, ScalarType::Float32);
  EXPECT_EQ(a.values, (std::vector<double>{1, 0.25}));

  // JavaScript cannot tell 1.0 from 1: integers by value.
  EXPECT_EQ(parse_nested_array("[1.0, 1e3]").dtype, ScalarType::Int32);
  EXPECT_EQ(parse_nested_array("[true, false]").dtype, ScalarType::Bool);
  EXPECT_EQ(parse_nested_array("[true, 2]").dtype, ScalarType::Int32);  // torch: bool promotes
  EXPECT_EQ(parse_nested_array("[true, 2.5]").dtype, ScalarType::Float32);
  EXPECT_EQ(parse_nested_array("[]").dtype, ScalarType::Float32);
  EXPECT_EQ(shape_of(parse_nested_array("[[], []]")), (std::vector<int64_t>{2, 0}));
  EXPECT_EQ(shape_of(parse_nested_array("[[[]]]")), (std::vector<int64_t>{1, 1, 0}));

  a = parse_nested_array("-7");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.values, (std::vector<double>{-7}));
  EXPECT_EQ(parse_nested_array("true").dtype, ScalarType::Bool);

  a = parse_nested_array("[NaN, Infinity, -Infinity, 1e400]");
  EXPECT_EQ(a.dtype, ScalarType::Float32);
  EXPECT_TRUE(std::isnan(a.values[0]));
  EXPECT_EQ(a.values[1], HUGE_VAL);
  EXPECT_EQ(a.values[2], -HUGE_VAL);
  EXPECT_EQ(a.values[3], HUGE_VAL);  // JavaScript's Number('1e400')
}

TEST(NestedArray, RequestedDtypeConvertsAsPyTorch) {
  EXPECT_EQ(parse_nested_array("[2.7, -2.7]", ScalarType::Int32).values, (std::vector<double>{2, -2}));
  EXPECT_EQ(parse_nested_array("[2147483647, -2147483648]", ScalarType::Int32).values,
            (std::vector<double>{2147483647, -2147483648.0}));
  EXPECT_EQ(parse_nested_array("[2, 0, 0.5, NaN]", ScalarType::Bool).values,
            (std::vector<double>{1, 0, 1, 1}));
  const std::string overflow = "value cannot be converted to type int32 without overflow";
  EXPECT_EQ(error_of("[3e9]", ScalarType::Int32), overflow);
  EXPECT_EQ(error_of("[2147483647.5]", ScalarType::Int32), overflow);
  EXPECT_EQ(error_of("[NaN]", ScalarType::Int32), overflow);
  EXPECT_EQ(error_of("[-Infinity]", ScalarType::Int32), overflow);
  EXPECT_EQ(error_of("[1, 4294967296]"), overflow);  // inferred int32
  EXPECT_EQ(parse_nested_array("[1e300]", ScalarType::Float32).values[0], 1e300);  // rounds later
}

TEST(NestedArray, RaggedAndMisplacedElementsUsePyTorchText) {
  EXPECT_EQ(error_of("[[1, 2], [3, 4, 5]]"), "expected sequence of length 2 at dim 1 (got 3)");
  EXPECT_EQ(error_of("[[[1]], [[2, 3]]]"), "expected sequence of length 1 at dim 2 (got 2)");
  EXPECT_EQ(error_of("[[], [1]]"), "expected sequence of length 0 at dim 1 (got 1)");
  EXPECT_EQ(error_of("[[1], 2]"), "expected sequence of length 1 at dim 1 (got number 2)");
  EXPECT_EQ(error_of("[[1], null]"), "expected sequence of length 1 at dim 1 (got null)");
  EXPECT_EQ(error_of("[1, [2]]"),
            "tensor(): too many dimensions or an element that is not a number: found an array");
  EXPECT_EQ(error_of("[1, null]"),
            "tensor(): too many dimensions or an element that is not a number: found null");
  EXPECT_EQ(error_of("null"), "tensor(): could not infer a tensor from null");
  // The length of an array is checked before its elements.
  EXPECT_EQ(error_of("[[1, 2], [[3], 4, 5]]"), "expected sequence of length 2 at dim 1 (got 3)");
}

TEST(NestedArray, DepthIsLimitedWithoutRecursion) {
  std::string ok = std::string(16, '[') + "1" + std::string(16, ']');
  EXPECT_EQ(parse_nested_array(ok).shape.size(), 16u);
  std::string deep = std::string(17, '[') + "1" + std::string(17, ']');
  EXPECT_EQ(error_of(deep),
            "tensor(): too many dimensions: webtorch supports tensors of at most 16 dimensions");
  // Deep syntax where an element belongs: a clear error, and no stack overflow.
  std::string very_deep = "[1, " + std::string(1000000, '[') + std::string(1000000, ']') + "]";
  EXPECT_EQ(error_of(very_deep),
            "tensor(): too many dimensions or an element that is not a number: found an array");
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
