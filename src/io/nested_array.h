#pragma once
// Nested-array text -> values, shape and dtype: what torch.tensor(nestedArray) means, as a
// pure function over bytes. It is the reference for the JavaScript path (js/data.mjs
// flattenNested + inferDtype, which work on JavaScript values for speed) and is fuzzed
// natively (tests/fuzz/nested_array_fuzz.cpp).
//
// Note [Nested-array semantics]
// The text is what JavaScript holds, written out: numbers, `true`/`false`, `[`...`]`, with
// `NaN`, `Infinity` and `-Infinity` allowed (JavaScript numbers; JSON cannot write them) and
// `null` accepted only to name it in an error. Every rule below is the JavaScript path's:
//   - the shape is the lengths of data, data[0], data[0][0], ... (PyTorch's compute_sizes),
//     at most kMaxDims deep;
//   - every array at dim d must have shape[d] elements: PyTorch's ragged text
//     `expected sequence of length 2 at dim 1 (got 3)`; the length is checked before the
//     array's elements are looked at;
//   - a number is an integer when its value is (Number.isInteger: `1.0` and `1e3` are
//     integers; JavaScript cannot tell them apart);
//   - the inferred dtype is float32 if any number is not an integer, else int32 if any
//     number, else bool if any boolean, else float32 (empty data);
//   - into int32 a value must lie in [-2^31, 2^31 - 1] (truncated toward zero), PyTorch's
//     `value cannot be converted to type int32 without overflow` otherwise; into bool any
//     nonzero value (NaN too) is true; into float32 the double is rounded (1e300 -> inf).
// Syntax errors are reported before any of these checks, with the byte offset.

#include <optional>
#include <string_view>
#include <vector>

#include "core/dim_vector.h"
#include "core/dtype.h"

namespace webtorch {
namespace io {

struct NestedArray {
  DimVector shape;
  ScalarType dtype = ScalarType::Float32;
  std::vector<double> values;  // row-major; booleans as 0 / 1; already range-checked for dtype
};

// Throws webtorch::Error with the messages of Note [Nested-array semantics]. `dtype` is the
// requested dtype; without it the dtype is inferred.
NestedArray parse_nested_array(std::string_view text, std::optional<ScalarType> dtype = std::nullopt);

}  // namespace io
}  // namespace webtorch
