// libFuzzer target: the safetensors reader (src/io/safetensors.h, Note [safetensors
// validation]) on arbitrary bytes. Every input must either parse or throw webtorch::Error
// with a message. What parse_header accepts must keep the format's promises: the tensors
// tile the data section exactly, each one's bytes are numel * itemsize, names are unique;
// load() then returns those tensors, in order, with their shapes, and allocates at most 4x
// the data section (U8 widened to int32), never more.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/memory_stats.h"
#include "io/safetensors.h"

using namespace webtorch;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "safetensors_fuzz: %s\n", what.c_str());
  std::abort();
}

void check_header(const safetensors::Header& h, size_t size) {
  if (h.data_start < 8 || h.data_start > size) finding("data_start outside the file");
  if (h.data_start - 8 > safetensors::kMaxHeaderSize) finding("a header over the size limit was accepted");
  const uint64_t data_size = size - h.data_start;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  std::set<std::string> names;
  for (const auto& t : h.tensors) {
    if (!names.insert(t.name).second) finding("a duplicate tensor name was accepted: " + t.name);
    if (t.name == "__metadata__") finding("__metadata__ accepted as a tensor");
    if (t.begin > t.end || t.end > data_size) finding("offsets outside the data section: " + t.name);
    uint64_t numel = 1;
    for (int64_t s : t.shape) {
      if (s < 0) finding("a negative size was accepted: " + t.name);
      if (s != 0 && numel > UINT64_MAX / uint64_t(s)) finding("an overflowing shape was accepted: " + t.name);
      numel *= uint64_t(s);
    }
    const uint64_t itemsize = safetensors::dtype_size(t.dtype);
    if (numel > UINT64_MAX / itemsize || numel * itemsize != t.end - t.begin)
      finding("byte length is not numel * itemsize: " + t.name);
    ranges.emplace_back(t.begin, t.end);
  }
  std::sort(ranges.begin(), ranges.end());
  uint64_t at = 0;
  for (const auto& [b, e] : ranges) {
    if (b != at) finding("the tensors do not tile the data section (gap or overlap)");
    at = e;
  }
  if (at != data_size) finding("trailing bytes after the last tensor were accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  safetensors::Header header;
  try {
    header = safetensors::parse_header(data, size);
  } catch (const Error& e) {
    if (e.message().empty()) finding("an Error with an empty message");
    return 0;
  }
  check_header(header, size);

  const int64_t bytes_before = memory_stats().bytes;
  std::vector<std::pair<std::string, Tensor>> tensors;
  try {
    tensors = safetensors::load(data, size);
  } catch (const Error& e) {
    // Only values that do not fit int32 (I64, U32, U64) may fail after the header parsed.
    if (e.message().empty()) finding("load: an Error with an empty message");
    if (memory_stats().bytes != bytes_before) finding("a failed load kept tensors");
    return 0;
  }
  if (tensors.size() != header.tensors.size()) finding("load returned another number of tensors");
  int64_t loaded = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& info = header.tensors[i];
    const Tensor& t = tensors[i].second;
    if (tensors[i].first != info.name) finding("load changed the order or the names");
    if (t.dtype() != safetensors::load_type(info.dtype)) finding("load gave another dtype: " + info.name);
    if (size_t(t.dim()) != info.shape.size()) finding("load gave another rank: " + info.name);
    for (size_t d = 0; d < info.shape.size(); ++d)
      if (t.size(int64_t(d)) != info.shape[d]) finding("load gave another shape: " + info.name);
    loaded += int64_t(t.impl()->nbytes());
  }
  if (uint64_t(loaded) > 4 * (size - header.data_start)) finding("load allocated more than 4x the data section");
  return 0;
}
