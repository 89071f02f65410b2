#pragma once
// Helpers for the C entry points (wt_*) that JavaScript calls directly: the hot path
// avoids embind's per-call marshalling (a few hundred ns) by taking and returning plain
// numbers. Every entry point is guarded (error_bridge.h).
//   returns a tensor: a new handle, 0 on error
//   returns a status: 1 (or a count >= 0) on success, -1 on error

#include <emscripten.h>

#include "core/scalar.h"
#include "error_bridge.h"
#include "handles.h"

#define WT_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE

namespace webtorch {
namespace web {

template <class Fn>
Handle tensor_result(Fn&& fn) {
  return guarded<Handle>(constants::kFailedHandle, [&] { return to_handle(fn()); });
}

template <class Fn>
int32_t status_result(Fn&& fn) {
  return guarded<int32_t>(constants::kFailedStatus, [&] {
    fn();
    return int32_t(1);
  });
}

template <class Fn>
int32_t int_result(Fn&& fn) {
  return guarded<int32_t>(constants::kFailedStatus, [&] { return int32_t(fn()); });
}

// A JavaScript number with its kind (js/constants.mjs SCALAR_KIND), as JS decides it.
inline Scalar make_scalar(double value, int32_t kind) {
  WT_CHECK(kind == constants::kScalarKindBool || kind == constants::kScalarKindInt || kind == constants::kScalarKindFloat,
           "unknown scalar kind ", kind);
  return Scalar(value, kind == constants::kScalarKindBool  ? Scalar::Kind::Bool
                       : kind == constants::kScalarKindInt ? Scalar::Kind::Int
                                                           : Scalar::Kind::Float);
}

}  // namespace web
}  // namespace webtorch
