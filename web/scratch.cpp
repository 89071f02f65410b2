#include <emscripten.h>

#include "core/error.h"
#include "error_bridge.h"
#include "handles.h"

namespace webtorch {
namespace web {

std::string& last_error() {
  static std::string message;
  return message;
}

int32_t* scratch_i32() {
  static int32_t buffer[kScratchInts];
  return buffer;
}

double* scratch_f64() {
  static double buffer[16];
  return buffer;
}

DimVector scratch_dims(int32_t n) {
  WT_CHECK(n >= 0 && n <= kMaxDims, "webtorch supports tensors of at most ", kMaxDims,
           " dimensions, got ", n);
  DimVector d;
  for (int32_t i = 0; i < n; ++i) d.push_back(scratch_i32()[i]);
  return d;
}

}  // namespace web
}  // namespace webtorch

using namespace webtorch::web;

extern "C" {
EMSCRIPTEN_KEEPALIVE int32_t* wt_scratch_i32() { return scratch_i32(); }
EMSCRIPTEN_KEEPALIVE double* wt_scratch_f64() { return scratch_f64(); }
EMSCRIPTEN_KEEPALIVE int32_t wt_scratch_size() { return kScratchInts; }
}
