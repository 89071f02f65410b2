#include "io/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "io/json.h"

namespace webtorch {
namespace safetensors {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian; webtorch reads it with memcpy"
#endif

namespace {

struct DTypeRow {
  DType dtype;
  const char* name;
  uint8_t size;
  ScalarType loads_as;
};

#define WT_SAFETENSORS_ROW(name, size, loads_as) {DType::name, #name, size, ScalarType::loads_as},
constexpr DTypeRow kDTypes[] = {WEBTORCH_SAFETENSORS_DTYPES(WT_SAFETENSORS_ROW)};
#undef WT_SAFETENSORS_ROW

const DTypeRow& row(DType d) { return kDTypes[size_t(d)]; }

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::string offsets_text(uint64_t b, uint64_t e) { return str("[", b, ", ", e, "]"); }

std::string shape_text(const std::vector<int64_t>& shape) {
  return str(IntArrayRef(shape.data(), shape.size()));
}

[[noreturn]] void fail_tensor(const std::string& name, const std::string& what) {
  throw_error(str("safetensors: tensor ", quoted(name), ": ", what));
}

// Runs a JSON read, turning its error into one that says where in the header it was.
template <class Fn>
auto in_header(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw_error(str("safetensors: the header is not valid JSON: ", e.message()));
  }
}

// The kind of the next value; a malformed or missing value is reported as invalid JSON.
json::Kind next_kind(json::Reader& r) {
  const json::Kind k = in_header([&] { return r.peek_kind(); });
  if (k == json::Kind::End || k == json::Kind::Invalid) in_header([&] { r.skip_value(); });
  return k;
}

TensorInfo read_tensor_info(json::Reader& r, std::string name) {
  TensorInfo info;
  info.name = std::move(name);
  const json::Kind kind = next_kind(r);
  if (kind != json::Kind::Object)
    fail_tensor(info.name, str("expected an object with dtype, shape and data_offsets, got ",
                               json::kind_name(kind)));
  bool has_dtype = false, has_shape = false, has_offsets = false;
  in_header([&] { r.begin_object(); });
  for (bool first = true; in_header([&] { return r.more('}', first); }); first = false) {
    const std::string key = in_header([&] { return r.read_string(); });
    in_header([&] { r.colon(); });
    if (key == "dtype") {
      if (has_dtype) fail_tensor(info.name, "duplicate field 'dtype'");
      has_dtype = true;
      if (next_kind(r) != json::Kind::String)
        fail_tensor(info.name, "dtype must be a string");
      const std::string d = in_header([&] { return r.read_string(); });
      bool known = false;
      for (const DTypeRow& t : kDTypes)
        if (d == t.name) {
          info.dtype = t.dtype;
          known = true;
        }
      if (!known)
        fail_tensor(info.name, str("unknown dtype '", d, "' (known: BOOL, U8, I8, I16, U16, I32, U32, I64, "
                                   "U64, F8_E5M2, F8_E4M3, F16, BF16, F32, F64)"));
    } else if (key == "shape") {
      if (has_shape) fail_tensor(info.name, "duplicate field 'shape'");
      has_shape = true;
      if (next_kind(r) != json::Kind::Array)
        fail_tensor(info.name, "shape must be an array of non-negative integers");
      in_header([&] { r.begin_array(); });
      for (bool f = true; in_header([&] { return r.more(']', f); }); f = false) {
        if (info.shape.size() == size_t(kMaxDims))
          fail_tensor(info.name, str("shape has more than ", kMaxDims, " dimensions (webtorch's limit)"));
        if (next_kind(r) != json::Kind::Number)
          fail_tensor(info.name, "shape must be an array of non-negative integers");
        const uint64_t v = in_header([&] { return r.read_uint64(); });
        if (v > uint64_t(INT64_MAX)) fail_tensor(info.name, "a dimension of shape is too large");
        info.shape.push_back(int64_t(v));
      }
    } else if (key == "data_offsets") {
      if (has_offsets) fail_tensor(info.name, "duplicate field 'data_offsets'");
      has_offsets = true;
      const char* expect = "data_offsets must be an array of two non-negative integers [begin, end]";
      if (next_kind(r) != json::Kind::Array) fail_tensor(info.name, expect);
      in_header([&] { r.begin_array(); });
      int n = 0;
      for (bool f = true; in_header([&] { return r.more(']', f); }); f = false) {
        if (n == 2 || next_kind(r) != json::Kind::Number)
          fail_tensor(info.name, expect);
        const uint64_t v = in_header([&] { return r.read_uint64(); });
        (n == 0 ? info.begin : info.end) = v;
        ++n;
      }
      if (n != 2) fail_tensor(info.name, expect);
    } else {
      in_header([&] { r.skip_value(); });  // unknown fields are ignored, as by the reference
    }
  }
  if (!has_dtype) fail_tensor(info.name, "missing field 'dtype'");
  if (!has_shape) fail_tensor(info.name, "missing field 'shape'");
  if (!has_offsets) fail_tensor(info.name, "missing field 'data_offsets'");
  return info;
}

void read_metadata(json::Reader& r, Header& h) {
  const char* expect = "safetensors: __metadata__ must be an object of string values";
  if (next_kind(r) != json::Kind::Object) throw_error(expect);
  in_header([&] { r.begin_object(); });
  for (bool first = true; in_header([&] { return r.more('}', first); }); first = false) {
    std::string key = in_header([&] { return r.read_string(); });
    in_header([&] { r.colon(); });
    if (next_kind(r) != json::Kind::String) throw_error(expect);
    std::string value = in_header([&] { return r.read_string(); });
    for (const auto& kv : h.metadata)
      WT_CHECK(kv.first != key, "safetensors: duplicate __metadata__ key '", key, "'");
    h.metadata.emplace_back(std::move(key), std::move(value));
  }
}

// numel(shape) * itemsize, or false on overflow.
bool byte_size(const TensorInfo& t, uint64_t* out) {
  uint64_t n = dtype_size(t.dtype);
  for (int64_t s : t.shape)
    if (__builtin_mul_overflow(n, uint64_t(s), &n)) return false;
  *out = n;
  return true;
}

void check_unique_names(const Header& h) {
  std::vector<const std::string*> names;
  names.reserve(h.tensors.size());
  for (const TensorInfo& t : h.tensors) names.push_back(&t.name);
  std::sort(names.begin(), names.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = 1; i < names.size(); ++i)
    WT_CHECK(*names[i] != *names[i - 1], "safetensors: duplicate tensor name ", quoted(*names[i]));
}

void check_offsets(Header& h, uint64_t data_size) {
  for (const TensorInfo& t : h.tensors) {
    if (t.end < t.begin)
      fail_tensor(t.name, str("data_offsets ", offsets_text(t.begin, t.end), " end before they begin"));
    uint64_t need;
    if (!byte_size(t, &need))
      fail_tensor(t.name, str("shape ", shape_text(t.shape), " is too large"));
    if (t.end - t.begin != need)
      fail_tensor(t.name, str("data_offsets ", offsets_text(t.begin, t.end), " hold ", t.end - t.begin,
                              " bytes but shape ", shape_text(t.shape), " of ", dtype_name(t.dtype),
                              " needs ", need));
    if (t.end > data_size)
      fail_tensor(t.name, str("data_offsets ", offsets_text(t.begin, t.end),
                              " lie outside the data section (", data_size, " bytes): the file is truncated "
                              "or the offsets are wrong"));
  }
  std::vector<const TensorInfo*> order;
  order.reserve(h.tensors.size());
  for (const TensorInfo& t : h.tensors) order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t pos = 0;
  const TensorInfo* prev = nullptr;
  for (const TensorInfo* t : order) {
    if (t->begin < pos)
      throw_error(str("safetensors: tensors ", quoted(prev->name), " and ", quoted(t->name),
                      " overlap (data_offsets ", offsets_text(prev->begin, prev->end), " and ",
                      offsets_text(t->begin, t->end), ")"));
    if (t->begin > pos)
      throw_error(str("safetensors: the data section has a gap of ", t->begin - pos, " bytes before tensor ",
                      quoted(t->name), " (data_offsets ", offsets_text(t->begin, t->end),
                      "); tensors must be stored back to back"));
    pos = t->end;
    prev = t;
  }
  if (pos != data_size)
    throw_error(str("safetensors: the data section has ", data_size - pos,
                    " bytes after the last tensor (", data_size, " bytes, tensors end at ", pos, ")"));
}

template <class Src, class Dst, class Convert>
void convert_into(const uint8_t* src, size_t n, Dst* dst, Convert&& convert) {
  for (size_t i = 0; i < n; ++i) {
    Src v;
    std::memcpy(&v, src + i * sizeof(Src), sizeof(Src));
    dst[i] = convert(v, i);
  }
}

float f8_e4m3_to_float(uint8_t b) {
  const bool neg = b & 0x80;
  const int e = (b >> 3) & 0xF, m = b & 7;
  float v;
  if (e == 15 && m == 7) v = NAN;
  else if (e == 0) v = std::ldexp(float(m), -9);  // m/8 * 2^-6
  else v = std::ldexp(1.0f + float(m) / 8.0f, e - 7);
  return neg ? -v : v;
}

template <class Int>
int32_t narrow_to_int32(Int v, const TensorInfo& t, size_t i) {
  if (v < Int(INT32_MIN) || v > Int(INT32_MAX))
    fail_tensor(t.name, str(dtype_name(t.dtype), " value ", v, " at flat index ", i,
                            " does not fit in int32 (webtorch's integer dtype)"));
  return int32_t(v);
}

template <>
int32_t narrow_to_int32<uint64_t>(uint64_t v, const TensorInfo& t, size_t i) {
  if (v > uint64_t(INT32_MAX))
    fail_tensor(t.name, str(dtype_name(t.dtype), " value ", v, " at flat index ", i,
                            " does not fit in int32 (webtorch's integer dtype)"));
  return int32_t(v);
}

template <>
int32_t narrow_to_int32<uint32_t>(uint32_t v, const TensorInfo& t, size_t i) {
  return narrow_to_int32<uint64_t>(uint64_t(v), t, i);
}

void fill(const Tensor& out, const TensorInfo& t, const uint8_t* src) {
  const size_t n = size_t(out.numel());
  switch (t.dtype) {
    case DType::F32:
    case DType::I32:
      if (n) std::memcpy(out.impl()->data(), src, n * 4);
      return;
    case DType::BOOL:
      convert_into<uint8_t>(src, n, out.data<bool>(), [](uint8_t v, size_t) { return v != 0; });
      return;
    case DType::U8:
      convert_into<uint8_t>(src, n, out.data<int32_t>(), [](uint8_t v, size_t) { return int32_t(v); });
      return;
    case DType::I8:
      convert_into<int8_t>(src, n, out.data<int32_t>(), [](int8_t v, size_t) { return int32_t(v); });
      return;
    case DType::I16:
      convert_into<int16_t>(src, n, out.data<int32_t>(), [](int16_t v, size_t) { return int32_t(v); });
      return;
    case DType::U16:
      convert_into<uint16_t>(src, n, out.data<int32_t>(), [](uint16_t v, size_t) { return int32_t(v); });
      return;
    case DType::U32:
      convert_into<uint32_t>(src, n, out.data<int32_t>(), [&](uint32_t v, size_t i) { return narrow_to_int32(v, t, i); });
      return;
    case DType::I64:
      convert_into<int64_t>(src, n, out.data<int32_t>(), [&](int64_t v, size_t i) { return narrow_to_int32(v, t, i); });
      return;
    case DType::U64:
      convert_into<uint64_t>(src, n, out.data<int32_t>(), [&](uint64_t v, size_t i) { return narrow_to_int32(v, t, i); });
      return;
    case DType::F16:
      convert_into<uint16_t>(src, n, out.data<float>(), [](uint16_t v, size_t) { return half_to_float(v); });
      return;
    case DType::BF16:
      convert_into<uint16_t>(src, n, out.data<float>(), [](uint16_t v, size_t) { return bfloat16_to_float(v); });
      return;
    case DType::F64:
      convert_into<double>(src, n, out.data<float>(), [](double v, size_t) { return float(v); });
      return;
    case DType::F8_E5M2:
      convert_into<uint8_t>(src, n, out.data<float>(), [](uint8_t v, size_t) { return half_to_float(uint16_t(v << 8)); });
      return;
    case DType::F8_E4M3:
      convert_into<uint8_t>(src, n, out.data<float>(), [](uint8_t v, size_t) { return f8_e4m3_to_float(v); });
      return;
  }
}

}  // namespace

const char* dtype_name(DType d) { return row(d).name; }
size_t dtype_size(DType d) { return row(d).size; }
ScalarType load_type(DType d) { return row(d).loads_as; }

float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf / NaN (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal half: normalise into a float.
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while ((mant & 0x400) == 0);
    bits = sign | (uint32_t(112 - e) << 23) | ((mant & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bfloat16_to_float(uint16_t b) {
  const uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

Header parse_header(const uint8_t* data, size_t size) {
  WT_CHECK(size >= 8, "safetensors: the file is truncated: ", size,
           " bytes, fewer than the 8-byte header length that starts every safetensors file");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | data[i];
  WT_CHECK(n <= kMaxHeaderSize, "safetensors: the header length ", n, " is larger than the limit of ",
           kMaxHeaderSize, " bytes (is this a safetensors file?)");
  WT_CHECK(n <= size - 8, "safetensors: the file is truncated: the header length is ", n, " bytes but only ",
           size - 8, " bytes follow it");
  Header h;
  h.data_start = 8 + n;
  const std::string_view text(reinterpret_cast<const char*>(data + 8), size_t(n));
  json::Reader r(text);
  const json::Kind top = in_header([&] { return r.peek_kind(); });
  WT_CHECK(top == json::Kind::Object, "safetensors: the header must be a JSON object, got ",
           json::kind_name(top), " (is this a safetensors file?)");
  in_header([&] { r.begin_object(); });
  bool has_metadata = false;
  for (bool first = true; in_header([&] { return r.more('}', first); }); first = false) {
    std::string name = in_header([&] { return r.read_string(); });
    in_header([&] { r.colon(); });
    if (name == "__metadata__") {
      WT_CHECK(!has_metadata, "safetensors: duplicate __metadata__");
      has_metadata = true;
      read_metadata(r, h);
      continue;
    }
    h.tensors.push_back(read_tensor_info(r, std::move(name)));
  }
  in_header([&] { r.finish(); });
  check_unique_names(h);
  check_offsets(h, uint64_t(size) - h.data_start);
  return h;
}

std::vector<std::pair<std::string, Tensor>> load(const uint8_t* data, size_t size, Header* header) {
  Header h = parse_header(data, size);
  std::vector<std::pair<std::string, Tensor>> out;
  out.reserve(h.tensors.size());
  for (const TensorInfo& t : h.tensors) {
    Tensor tensor = empty(IntArrayRef(t.shape.data(), t.shape.size()), load_type(t.dtype));
    fill(tensor, t, data + h.data_start + t.begin);
    out.emplace_back(t.name, std::move(tensor));
  }
  if (header) *header = std::move(h);
  return out;
}

}  // namespace safetensors
}  // namespace webtorch
