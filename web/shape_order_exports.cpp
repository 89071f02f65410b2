// The hand-written entry points of issue 14's shape and ordering ops (js/op_table.mjs, form
// 'custom'): tril / triu and their in-place forms, the multi-output views split / chunk /
// unbind, roll, and the (values, indices) results of sort and topk.
//
// A list of views can be longer than the scratch area (unbind of a long dim), so
// wt_split & co. convert the pieces to handles, keep them, and return how many there are;
// JavaScript then copies them out with wt_pieces_read, a scratch area at a time.

#include <optional>
#include <vector>

#include "core/error.h"
#include "export.h"
#include "autograd/ops/ops.h"

using namespace webtorch;
using namespace webtorch::web;

namespace {
Tensor T(Handle h) { return from_handle(h); }

std::vector<int32_t>& pending_pieces() {
  static std::vector<int32_t> handles;
  return handles;
}

int32_t publish(const std::vector<Tensor>& pieces) {
  std::vector<int32_t>& out = pending_pieces();
  out.clear();
  for (const Tensor& t : pieces) out.push_back(int32_t(to_handle(t)));
  return int32_t(out.size());
}

// n integers of scratch from offset (a list may be longer than a DimVector's dims).
std::vector<int64_t> scratch_list(int32_t offset, int32_t n) {
  WT_CHECK(offset >= 0 && n >= 0 && offset + n <= constants::kScratchInts, "too many values in one call (", n, ")");
  return std::vector<int64_t>(scratch_i32() + offset, scratch_i32() + offset + n);
}

void publish_pair(const std::tuple<Tensor, Tensor>& pair) {
  scratch_i32()[0] = int32_t(to_handle(std::get<0>(pair)));
  scratch_i32()[1] = int32_t(to_handle(std::get<1>(pair)));
}
}  // namespace

WT_EXPORT Handle wt_tril(Handle a, double k) { return tensor_result([&] { return tril(T(a), int64_t(k)); }); }
WT_EXPORT Handle wt_triu(Handle a, double k) { return tensor_result([&] { return triu(T(a), int64_t(k)); }); }
WT_EXPORT int32_t wt_tril_(Handle a, double k) { return status_result([&] { tril_(T(a), int64_t(k)); }); }
WT_EXPORT int32_t wt_triu_(Handle a, double k) { return status_result([&] { triu_(T(a), int64_t(k)); }); }

// ---- multi-output views: a count, then the handles through wt_pieces_read ----
WT_EXPORT int32_t wt_split(Handle a, double split_size, int32_t dim) {
  return int_result([&] { return publish(split(T(a), int64_t(split_size), dim)); });
}
// The sizes in scratch.
WT_EXPORT int32_t wt_split_with_sizes(Handle a, int32_t n, int32_t dim) {
  return int_result([&] { return publish(split_with_sizes(T(a), scratch_list(0, n), dim)); });
}
WT_EXPORT int32_t wt_chunk(Handle a, double chunks, int32_t dim) {
  return int_result([&] { return publish(chunk(T(a), int64_t(chunks), dim)); });
}
WT_EXPORT int32_t wt_unbind(Handle a, int32_t dim) { return int_result([&] { return publish(unbind(T(a), dim)); }); }
WT_EXPORT int32_t wt_pieces_read(int32_t offset, int32_t n) {
  return status_result([&] {
    const std::vector<int32_t>& all = pending_pieces();
    WT_CHECK(offset >= 0 && n >= 0 && n <= constants::kScratchInts && size_t(offset) + size_t(n) <= all.size(),
             "no such pieces (", offset, ", ", n, ")");
    for (int32_t i = 0; i < n; ++i) scratch_i32()[i] = all[size_t(offset + i)];
  });
}

// The shifts in scratch[0, n), the dims in scratch[n, n + ndims).
WT_EXPORT Handle wt_roll(Handle a, int32_t n, int32_t ndims) {
  return tensor_result([&] {
    return roll(T(a), scratch_list(0, n), scratch_list(n, ndims));
  });
}

// ---- values and indices: their handles in scratch[0..1] ----
// stable: -1 not given, else 0 / 1.
WT_EXPORT int32_t wt_sort(Handle a, int32_t dim, int32_t descending, int32_t stable) {
  return status_result([&] {
    publish_pair(sort(T(a), stable < 0 ? std::nullopt : std::optional<bool>(stable != 0), dim, descending != 0));
  });
}
WT_EXPORT int32_t wt_topk(Handle a, double k, int32_t dim, int32_t largest, int32_t sorted) {
  return status_result([&] { publish_pair(topk(T(a), int64_t(k), dim, largest != 0, sorted != 0)); });
}
