#pragma once
// The safetensors format (https://github.com/huggingface/safetensors), reading side.
//
//   [8 bytes: N, little-endian u64][N bytes: JSON header, space-padded][data section]
//   header: {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3],
//            "data_offsets": [begin, end]}, ...}   (offsets relative to the data section)
//
// Note [safetensors validation]
// parse_header is a pure function of the bytes: it accepts exactly the files the reference
// implementation accepts (header at most 100 MB, valid UTF-8 JSON object, known dtypes,
// end - begin == numel * itemsize, and the tensors, sorted by offset, tiling the data section
// with no gap, overlap or trailing byte) and throws webtorch::Error naming the problem and
// the tensor otherwise (Note [Untrusted headers] in io/json.h). Every check happens before
// any tensor is allocated, so an allocation is never larger than the file, and load() hands
// back all tensors or none.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace webtorch {
namespace safetensors {

// The reference's dtypes, in its order (BOOL < U8 < ... < F64 < ...); the writer sorts
// tensors by this order, largest first.
// (js/constants.mjs SAFETENSORS_DTYPES, through webtorch_constants.h.)
#define WT_SAFETENSORS_ENUMERATOR(name, size, loads_as) name,
enum class DType : uint8_t { WEBTORCH_SAFETENSORS_DTYPES(WT_SAFETENSORS_ENUMERATOR) };
#undef WT_SAFETENSORS_ENUMERATOR

const char* dtype_name(DType d);
size_t dtype_size(DType d);
// The webtorch dtype a safetensors dtype loads as.
ScalarType load_type(DType d);

constexpr uint64_t kMaxHeaderSize = 100000000;  // the reference's MAX_HEADER_SIZE

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // byte offsets in the data section
};

struct Header {
  std::vector<TensorInfo> tensors;  // in header (file) order
  std::vector<std::pair<std::string, std::string>> metadata;  // __metadata__, in order
  uint64_t data_start = 0;  // 8 + N: where the data section starts in the file
};

// Parses and validates a whole safetensors file data[0:size] (Note [safetensors validation]).
Header parse_header(const uint8_t* data, size_t size);

// Every tensor of the file, in header order, as fresh contiguous tensors: F32, I32 and BOOL as
// they are; F16, BF16 and F64 converted to float32; U8, I8, I16, U16 widened to int32; I64,
// U32, U64 narrowed to int32 when every value fits (an error names the first that does not).
std::vector<std::pair<std::string, Tensor>> load(const uint8_t* data, size_t size,
                                                 Header* header = nullptr);

// IEEE half and bfloat16 to float, exactly.
float half_to_float(uint16_t h);
float bfloat16_to_float(uint16_t b);

}  // namespace safetensors
}  // namespace webtorch
