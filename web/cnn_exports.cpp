// Entry points for the CNN layers of torch.nn.functional (js/nn/functional_cnn.mjs):
// batch_norm and the 2-D poolings. Int lists arrive in scratch.

#include <optional>

#include "autograd/ops/cnn_ops.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "export.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }
Tensor opt(Handle h) { return h ? from_handle(h) : Tensor(); }

// The lists of scratch, one after the other, with the counts given.
struct ScratchLists {
  DimVector lists[4];
  ScratchLists(std::initializer_list<int32_t> counts) {
    int32_t total = 0;
    for (int32_t n : counts) {
      WT_CHECK(n >= 0 && n <= kMaxDims, "too many pooling parameters");
      total += n;
    }
    WT_CHECK(total <= kScratchInts, "too many pooling parameters");
    const int32_t* s = scratch_i32();
    size_t i = 0;
    for (int32_t n : counts) {
      for (int32_t k = 0; k < n; ++k) lists[i].push_back(*s++);
      ++i;
    }
  }
};
}  // namespace

WT_EXPORT Handle wt_batch_norm(Handle x, Handle w, Handle b, Handle running_mean, Handle running_var, int32_t training,
                               double momentum, double eps) {
  return tensor_result([&] {
    return batch_norm(T(x), opt(w), opt(b), opt(running_mean), opt(running_var), training != 0, momentum, eps);
  });
}

// scratch: kernel_size[nk], stride[ns], padding[np], dilation[nd]. Returns the values; with
// indices the indices' handle is in scratch slot 0.
WT_EXPORT Handle wt_max_pool2d(Handle x, int32_t nk, int32_t ns, int32_t np, int32_t nd, int32_t ceil_mode,
                               int32_t with_indices) {
  return tensor_result([&] {
    const ScratchLists l({nk, ns, np, nd});
    auto [values, indices] = max_pool2d_with_indices(T(x), l.lists[0], l.lists[1], l.lists[2], l.lists[3], ceil_mode != 0);
    scratch_i32()[0] = with_indices ? int32_t(to_handle(indices)) : 0;
    return values;
  });
}

// scratch: kernel_size[nk], stride[ns], padding[np]
WT_EXPORT Handle wt_avg_pool2d(Handle x, int32_t nk, int32_t ns, int32_t np, int32_t ceil_mode,
                               int32_t count_include_pad, int32_t has_divisor, double divisor) {
  return tensor_result([&] {
    const ScratchLists l({nk, ns, np});
    std::optional<int64_t> d;
    if (has_divisor) d = int64_t(divisor);
    return avg_pool2d(T(x), l.lists[0], l.lists[1], l.lists[2], ceil_mode != 0, count_include_pad != 0, d);
  });
}

// scratch: output_size[n]
WT_EXPORT Handle wt_adaptive_avg_pool2d(Handle x, int32_t n) {
  return tensor_result([&] {
    const ScratchLists l({n});
    return adaptive_avg_pool2d(T(x), l.lists[0]);
  });
}
