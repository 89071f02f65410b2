// The safetensors reader (src/io/safetensors.h): valid files of every dtype, and malformed
// files that must each end in a clear webtorch::Error with nothing allocated.

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/memory_stats.h"
#include "io/json.h"
#include "io/safetensors.h"

using namespace webtorch;
namespace st = webtorch::safetensors;

namespace {

std::vector<uint8_t> file(const std::string& header, const std::vector<uint8_t>& data, bool pad = true) {
  std::string h = header;
  if (pad)
    while (h.size() % 8) h += ' ';
  std::vector<uint8_t> out(8);
  uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(n >> (8 * i));
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

template <class T>
void append(std::vector<uint8_t>& bytes, const std::vector<T>& values) {
  const size_t at = bytes.size();
  bytes.resize(at + values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(bytes.data() + at, values.data(), values.size() * sizeof(T));
}

// The message of the Error load() throws, checking that no tensor survived it.
std::string load_error(const std::vector<uint8_t>& f) {
  const int64_t before = memory_stats().tensors;
  try {
    st::load(f.data(), f.size());
  } catch (const Error& e) {
    EXPECT_EQ(memory_stats().tensors, before) << "tensors leaked by a failed load";
    return e.message();
  }
  return "(no error)";
}

std::vector<uint8_t> two_tensor_file() {
  std::vector<uint8_t> data;
  append<float>(data, {1.5f, -2.0f, 3.25f, 0.0f, 5.0f, -6.5f});
  append<int32_t>(data, {7, -8});
  return file(R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
              R"("i":{"dtype":"I32","shape":[2],"data_offsets":[24,32]}})",
              data);
}

}  // namespace

TEST(Safetensors, LoadsNamesShapesValuesAndMetadataInFileOrder) {
  const auto f = two_tensor_file();
  st::Header h;
  auto tensors = st::load(f.data(), f.size(), &h);
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors[0].first, "w");
  EXPECT_EQ(tensors[1].first, "i");
  EXPECT_EQ(tensors[0].second.dtype(), ScalarType::Float32);
  EXPECT_EQ(tensors[0].second.sizes().vec(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(tensors[0].second.data<float>()[2], 3.25f);
  EXPECT_EQ(tensors[0].second.data<float>()[5], -6.5f);
  EXPECT_EQ(tensors[1].second.dtype(), ScalarType::Int32);
  EXPECT_EQ(tensors[1].second.data<int32_t>()[1], -8);
  ASSERT_EQ(h.metadata.size(), 1u);
  EXPECT_EQ(h.metadata[0].first, "format");
  EXPECT_EQ(h.metadata[0].second, "pt");
}

TEST(Safetensors, EmptyFileScalarsAndEmptyTensors) {
  auto f = file("{}", {});
  EXPECT_TRUE(st::load(f.data(), f.size()).empty());
  std::vector<uint8_t> data;
  append<float>(data, {4.5f});
  f = file(R"({"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})", data);
  auto t = st::load(f.data(), f.size());
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].second.numel(), 0);
  EXPECT_EQ(t[1].second.dim(), 0);
  EXPECT_EQ(t[1].second.data<float>()[0], 4.5f);
}

TEST(Safetensors, HeaderWithoutPaddingAndUnknownFieldsIsAccepted) {
  std::vector<uint8_t> data;
  append<int32_t>(data, {3});
  const auto f = file(R"({"a":{"shape":[1],"extra":{"x":[1,2,{"y":null}]},"dtype":"I32","data_offsets":[0,4]}})", data, false);
  auto t = st::load(f.data(), f.size());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].second.data<int32_t>()[0], 3);
}

TEST(Safetensors, ConvertsOtherDtypes) {
  std::vector<uint8_t> data;
  append<uint16_t>(data, {0x3C00, 0xC000, 0x0001, 0x7C00, 0x3555});  // F16: 1, -2, 2^-24, inf, 0.333251953125
  append<uint16_t>(data, {0x3FC0, 0xC120});                          // BF16: 1.5, -10
  append<double>(data, {0.1, -3.0});                                   // F64
  append<int64_t>(data, {-5, 2147483647});                             // I64
  append<uint8_t>(data, {0, 3, 255, 1});                               // BOOL (non-zero is true), U8 x3
  data.resize(data.size());
  const auto f = file(R"({"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},)"
                      R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]},)"
                      R"("d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]},)"
                      R"("l":{"dtype":"I64","shape":[2],"data_offsets":[30,46]},)"
                      R"("q":{"dtype":"BOOL","shape":[2],"data_offsets":[46,48]},)"
                      R"("u":{"dtype":"U8","shape":[2],"data_offsets":[48,50]}})",
                      data);
  auto t = st::load(f.data(), f.size());
  ASSERT_EQ(t.size(), 6u);
  const float* h = t[0].second.data<float>();
  EXPECT_EQ(h[0], 1.0f);
  EXPECT_EQ(h[1], -2.0f);
  EXPECT_EQ(h[2], 5.9604644775390625e-08f);
  EXPECT_TRUE(std::isinf(h[3]));
  EXPECT_EQ(h[4], 0.333251953125f);
  EXPECT_EQ(t[1].second.data<float>()[0], 1.5f);
  EXPECT_EQ(t[1].second.data<float>()[1], -10.0f);
  EXPECT_EQ(t[2].second.data<float>()[0], 0.1f);
  EXPECT_EQ(t[3].second.dtype(), ScalarType::Int32);
  EXPECT_EQ(t[3].second.data<int32_t>()[1], 2147483647);
  EXPECT_EQ(t[4].second.dtype(), ScalarType::Bool);
  EXPECT_EQ(t[4].second.data<bool>()[0], false);
  EXPECT_EQ(t[4].second.data<bool>()[1], true);
  EXPECT_EQ(t[5].second.data<int32_t>()[0], 255);
}

TEST(Safetensors, HalfConversionIsExactForEveryBitPattern) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = st::half_to_float(uint16_t(h));
    const uint32_t exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
    double expect;
    if (exp == 0) expect = std::ldexp(double(mant), -24);
    else if (exp == 31) expect = mant ? NAN : INFINITY;
    else expect = std::ldexp(1.0 + mant / 1024.0, int(exp) - 15);
    if (h & 0x8000) expect = -expect;
    if (std::isnan(expect)) EXPECT_TRUE(std::isnan(f)) << h;
    else EXPECT_EQ(double(f), expect) << h;
  }
}

struct Malformed {
  const char* what;
  std::vector<uint8_t> bytes;
  const char* message;  // a part of the expected message
};

TEST(Safetensors, MalformedFilesGiveClearErrors) {
  std::vector<uint8_t> f32x2;
  append<float>(f32x2, {1.0f, 2.0f});
  auto header_len = [](uint64_t n, size_t extra) {
    std::vector<uint8_t> out(8 + extra, ' ');
    for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(n >> (8 * i));
    return out;
  };
  auto truncated = two_tensor_file();
  truncated.resize(truncated.size() - 3);
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "[";
  const std::vector<Malformed> cases = {
      {"empty", {}, "the file is truncated: 0 bytes"},
      {"5 bytes", {1, 2, 3, 4, 5}, "fewer than the 8-byte header length"},
      {"header longer than the file", header_len(64, 10), "the header length is 64 bytes but only 10 bytes follow it"},
      {"oversized header", header_len(uint64_t(1) << 40, 8), "larger than the limit of 100000000 bytes"},
      {"huge u64 length", header_len(~uint64_t(0), 8), "larger than the limit"},
      {"data truncated", truncated, "lie outside the data section"},
      {"not JSON", file("hello world", {}), "the header must be a JSON object"},
      {"broken JSON", file(R"({"w":{"dtype":"F32",)", {}), "not valid JSON"},
      {"JSON array", file("[1,2]", {}), "must be a JSON object, got an array"},
      {"junk after JSON", file("{} x", {}), "unexpected data after the JSON value"},
      {"trailing comma", file(R"({"__metadata__":{},})", {}), "trailing comma"},
      {"nested too deeply", file(R"({"a":{"x":)" + deep, {}), "nested too deeply"},
      {"invalid UTF-8", file("{\"\xff\":1}", {}), "invalid UTF-8"},
      {"tensor not an object", file(R"({"w":3})", {}), "tensor 'w': expected an object"},
      {"unknown dtype", file(R"({"w":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}})", f32x2), "tensor 'w': unknown dtype 'F31'"},
      {"missing dtype", file(R"({"w":{"shape":[2],"data_offsets":[0,8]}})", f32x2), "missing field 'dtype'"},
      {"missing offsets", file(R"({"w":{"dtype":"F32","shape":[2]}})", f32x2), "missing field 'data_offsets'"},
      {"negative dim", file(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", f32x2), "expected a non-negative integer"},
      {"fractional dim", file(R"({"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}})", f32x2), "expected a non-negative integer"},
      {"string dim", file(R"({"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}})", f32x2), "shape must be an array"},
      {"three offsets", file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}})", f32x2), "two non-negative integers"},
      {"offsets reversed", file(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", f32x2), "end before they begin"},
      {"offsets vs shape", file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", f32x2), "hold 8 bytes but shape [3] of F32 needs 12"},
      {"offsets out of range", file(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", f32x2), "lie outside the data section (8 bytes)"},
      {"offset overflow", file(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[18446744073709551608,18446744073709551624]}})", f32x2), "integer too large"},
      {"shape overflow", file(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,8]}})", f32x2), "is too large"},
      {"overlap", file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", f32x2), "tensors 'a' and 'b' overlap"},
      {"gap", file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", f32x2), "gap of 4 bytes before tensor 'a'"},
      {"trailing data", file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", f32x2), "4 bytes after the last tensor"},
      {"duplicate name", file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", f32x2), "duplicate tensor name 'a'"},
      {"metadata not strings", file(R"({"__metadata__":{"epoch":3}})", {}), "__metadata__ must be an object of string values"},
      {"too many dims", file(R"({"w":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})", f32x2), "more than 16 dimensions"},
  };
  for (const Malformed& c : cases) {
    const std::string msg = load_error(c.bytes);
    EXPECT_NE(msg.find(c.message), std::string::npos) << c.what << ": " << msg;
    EXPECT_EQ(msg.rfind("safetensors: ", 0), 0u) << c.what << ": " << msg;
  }
}

TEST(Safetensors, I64OutOfInt32RangeIsRefusedAndNothingLeaks) {
  std::vector<uint8_t> data;
  append<float>(data, {1.0f});
  append<int64_t>(data, {1, int64_t(1) << 40});
  const auto f = file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I64","shape":[2],"data_offsets":[4,20]}})", data);
  EXPECT_NE(load_error(f).find("tensor 'b': I64 value 1099511627776 at flat index 1 does not fit in int32"), std::string::npos);
}

// Random corruptions of a valid file: every outcome is a load or a webtorch::Error.
TEST(Safetensors, MutatedFilesNeverCrash) {
  const auto base = two_tensor_file();
  std::mt19937 rng(1234);
  int errors = 0, loads = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    auto f = base;
    const int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 4) {
        case 0: f[rng() % f.size()] = uint8_t(rng()); break;
        case 1: f.resize(rng() % (f.size() + 1)); break;
        case 2: f.insert(f.begin() + long(rng() % (f.size() + 1)), uint8_t(rng())); break;
        default: if (!f.empty()) f[8 + rng() % (f.size() > 8 ? f.size() - 8 : 1) % f.size()] ^= uint8_t(1u << (rng() % 8));
      }
      if (f.empty()) break;
    }
    const int64_t before = memory_stats().tensors;
    try {
      auto t = st::load(f.data(), f.size());
      ++loads;
    } catch (const Error&) {
      ++errors;
    }
    ASSERT_EQ(memory_stats().tensors, before);
  }
  EXPECT_GT(errors, 1000);
  EXPECT_GT(loads, 0);
}

TEST(Json, ReaderPullsValuesAndRejectsMalformedText) {
  json::Reader r(R"( {"a": [1, 22, 333], "b": "x\u00e9\ud83d\ude00", "c": {"d": [true, false, null, -1.5e3]}} )");
  r.begin_object();
  std::vector<std::string> keys;
  for (bool first = true; r.more('}', first); first = false) {
    keys.push_back(r.read_string());
    r.colon();
    if (keys.back() == "a") {
      r.begin_array();
      uint64_t sum = 0;
      for (bool f = true; r.more(']', f); f = false) sum += r.read_uint64();
      EXPECT_EQ(sum, 356u);
    } else if (keys.back() == "b") {
      EXPECT_EQ(r.read_string(), "x\xc3\xa9\xf0\x9f\x98\x80");
    } else {
      r.skip_value();
    }
  }
  r.finish();
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
  for (const char* bad : {"", "{", "[1 2]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "[,]", "{\"a\":1,}", "\"a\nb\""}) {
    json::Reader b(bad);
    EXPECT_THROW({ b.skip_value(); b.finish(); }, Error) << bad;
  }
}
