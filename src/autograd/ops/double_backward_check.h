#pragma once
// Note [Refusing a double backward that is not implemented]
// A few backward formulas still run kernels that record nothing (conv2d, max/min along a
// dim, nll_loss). Under createGraph their result would silently lack the second-order terms,
// so they refuse instead, naming the op, whenever the result would have to be recorded.

#include "core/error.h"
#include "core/grad_mode.h"

namespace webtorch {

inline void check_double_backward_implemented(const char* op, bool needs_recording) {
  WT_CHECK(!(GradMode::is_enabled() && needs_recording), "webtorch: the double backward of ", op,
           " (createGraph: true) is not implemented yet");
}

}  // namespace webtorch
