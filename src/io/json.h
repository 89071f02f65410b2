#pragma once
// A small strict pull reader of JSON (RFC 8259) for file headers such as safetensors'.
//
// Note [Untrusted headers]
// The input comes from files users download: every malformed byte sequence must end in a
// webtorch::Error naming the byte offset, never in a crash, unbounded recursion or an
// allocation larger than the input. So there is no document tree: the caller pulls the
// values it expects (building only its own small records) and skips the rest; nesting is
// limited (kMaxDepth); strings must be valid UTF-8; numbers can be demanded as exact
// non-negative integers. Object members come in document order.
//
//   Reader r(text);
//   r.begin_object();
//   for (bool first = true; r.more('}', first); first = false) {
//     std::string key = r.read_string();
//     r.colon();
//     ... r.read_uint64() / r.read_string() / r.skip_value() ...
//   }
//   r.finish();

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace webtorch {
namespace json {

enum class Kind : uint8_t { Null, Bool, Number, String, Array, Object, End, Invalid };

// "an object", "a string", ... for messages.
const char* kind_name(Kind kind);

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  // The kind of the next value (after whitespace), without consuming it.
  Kind peek_kind();
  void begin_object();  // '{'
  void begin_array();   // '['
  // Before each member / item: false (and the closing bracket consumed) at the end, else
  // consumes the ',' that separates it from the previous one.
  bool more(char close, bool first);
  void colon();
  std::string read_string();
  // A non-negative integer without fraction or exponent that fits in 64 bits.
  uint64_t read_uint64();
  void skip_value();
  // Only whitespace may follow.
  void finish();

  size_t offset() const { return pos_; }
  [[noreturn]] void fail(const char* what) const;

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  void skip_ws();
  void expect_literal(const char* word);
  void skip_number();
  void skip(int depth);
  unsigned hex4();
  void utf8_sequence(std::string* out);

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace json
}  // namespace webtorch
