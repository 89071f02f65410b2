#pragma once
// Nested-array text -> values, shape and dtype: what torch.tensor(nestedArray) means, as a
// pure function over bytes. It is the reference for the JavaScript path (js/data.mjs
// readNested, which works on JavaScript values for speed) and is fuzzed
// natively (tests/fuzz/nested_array_fuzz.cpp).
//
// Note [Nested-array semantics]
// The text is what JavaScript holds, written out: numbers, `true`/`false`, `[`...`]`, with
// `NaN`, `Infinity` and `-Infinity` allowed (JavaScript numbers; JSON cannot write them) and
// `null` accepted only to name it in an error. Every rule below is the JavaScript path's,
// which is PyTorch 1.13.1's torch.tensor(data) with every number a Python float (Note
// [Literal dtypes] in js/data.mjs; tests/fixtures/literals.json pins both paths to torch):
//   - the shape is the lengths of data, data[0], data[0][0], ... (PyTorch's compute_sizes),
//     at most kMaxDims deep (webtorch's own text past that);
//   - without a requested dtype it is inferred from every element, in order (PyTorch's
//     infer_scalar_type): `null` anywhere is `Could not infer dtype of null`; float32 if any
//     number or any empty array, else bool if any boolean, else float32 (empty data);
//   - when the shape has no elements (`[[], [1]]` is 2x0) nothing more is read;
//   - otherwise every array at dim d must have shape[d] elements: PyTorch's ragged text
//     `expected sequence of length 2 at dim 1 (got 3)`, `not a sequence` for a number where an
//     array belongs, and for an array or null where a number belongs `must be real number,
//     not Array` (float32) or `'null' object cannot be interpreted as an integer` (int32, bool);
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
