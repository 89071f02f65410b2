// The C++ reference of torch.tensor(nestedArray) (src/io/nested_array.h) on JSON-like text,
// for torch._tensorFromText: tests cross-check the JavaScript path against it, and
// bench/nested_array.mjs measures it against that path.

#include <emscripten/bind.h>

#include <string>

#include "core/error.h"
#include "export.h"
#include "io/nested_array.h"
#include "autograd/ops/ops.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {

// dtype: an index of the dtype table, or -1 to infer it. A new handle, 0 on error.
uint32_t tensor_from_text(const std::string& text, int32_t dtype) {
  return tensor_result([&] {
    io::NestedArray a = dtype == -1 ? io::parse_nested_array(text)
                                    : io::parse_nested_array(text, scalar_type_from_index(dtype));
    return from_values(a.values.data(), a.shape, a.dtype);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(webtorch_nested_array) { emscripten::function("tensorFromText", &tensor_from_text); }
