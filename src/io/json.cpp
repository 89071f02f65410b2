#include "io/json.h"

#include "core/error.h"

namespace webtorch {
namespace json {

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return "a boolean";
    case Kind::Number: return "a number";
    case Kind::String: return "a string";
    case Kind::Array: return "an array";
    case Kind::Object: return "an object";
    case Kind::End: return "the end of the text";
    case Kind::Invalid: break;
  }
  return "an invalid value";
}

void Reader::fail(const char* what) const { throw_error(str(what, " at byte ", pos_)); }

void Reader::skip_ws() {
  while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
}

Kind Reader::peek_kind() {
  skip_ws();
  if (at_end()) return Kind::End;
  switch (peek()) {
    case '{': return Kind::Object;
    case '[': return Kind::Array;
    case '"': return Kind::String;
    case 't':
    case 'f': return Kind::Bool;
    case 'n': return Kind::Null;
    default:
      return peek() == '-' || (peek() >= '0' && peek() <= '9') ? Kind::Number : Kind::Invalid;
  }
}

void Reader::begin_object() {
  if (peek_kind() != Kind::Object) fail("expected '{'");
  ++pos_;
}

void Reader::begin_array() {
  if (peek_kind() != Kind::Array) fail("expected '['");
  ++pos_;
}

bool Reader::more(char close, bool first) {
  skip_ws();
  if (at_end()) fail("unexpected end of the JSON text");
  if (peek() == close) {
    ++pos_;
    return false;
  }
  if (!first) {
    if (peek() != ',') fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    ++pos_;
    skip_ws();
    if (!at_end() && peek() == close) fail("trailing comma");
  }
  return true;
}

void Reader::colon() {
  skip_ws();
  if (at_end() || peek() != ':') fail("expected ':'");
  ++pos_;
}

void Reader::expect_literal(const char* word) {
  for (const char* p = word; *p; ++p, ++pos_)
    if (at_end() || peek() != *p) fail("invalid literal");
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
void Reader::skip_number() {
  auto digits = [&] {
    const size_t d = pos_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ - d;
  };
  if (!at_end() && peek() == '-') ++pos_;
  if (at_end()) fail("invalid number");
  if (peek() == '0') ++pos_;
  else if (digits() == 0) fail("invalid number");
  if (!at_end() && peek() == '.') {
    ++pos_;
    if (digits() == 0) fail("invalid number");
  }
  if (!at_end() && (peek() == 'e' || peek() == 'E')) {
    ++pos_;
    if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
    if (digits() == 0) fail("invalid number");
  }
}

uint64_t Reader::read_uint64() {
  if (peek_kind() != Kind::Number) fail("expected a number");
  const size_t start = pos_;
  skip_number();
  uint64_t v = 0;
  for (size_t i = start; i < pos_; ++i) {
    const char c = s_[i];
    if (c < '0' || c > '9') {
      pos_ = start;
      fail("expected a non-negative integer");
    }
    const uint64_t d = uint64_t(c - '0');
    if (v > (UINT64_MAX - d) / 10) {
      pos_ = start;
      fail("integer too large");
    }
    v = v * 10 + d;
  }
  return v;
}

unsigned Reader::hex4() {
  unsigned v = 0;
  for (int i = 0; i < 4; ++i, ++pos_) {
    if (at_end()) fail("unexpected end of the JSON text");
    const char c = peek();
    v <<= 4;
    if (c >= '0' && c <= '9') v |= unsigned(c - '0');
    else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
    else fail("invalid \\u escape");
  }
  return v;
}

namespace {
void append_utf8(std::string* out, uint32_t cp) {
  if (!out) return;
  if (cp < 0x80) {
    *out += char(cp);
  } else if (cp < 0x800) {
    *out += char(0xC0 | (cp >> 6));
    *out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += char(0xE0 | (cp >> 12));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  } else {
    *out += char(0xF0 | (cp >> 18));
    *out += char(0x80 | ((cp >> 12) & 0x3F));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  }
}
}  // namespace

// One UTF-8 encoded code point, validated (no overlongs, no surrogates), copied as is.
void Reader::utf8_sequence(std::string* out) {
  const size_t start = pos_;
  const unsigned char c0 = static_cast<unsigned char>(peek());
  int extra;
  uint32_t cp;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    extra = 1;
    cp = c0 & 0x1F;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    extra = 2;
    cp = c0 & 0x0F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    extra = 3;
    cp = c0 & 0x07;
  } else {
    fail("invalid UTF-8 in a string");
  }
  ++pos_;
  for (int i = 0; i < extra; ++i, ++pos_) {
    if (at_end()) fail("unexpected end of the JSON text");
    const unsigned char c = static_cast<unsigned char>(peek());
    if ((c & 0xC0) != 0x80) fail("invalid UTF-8 in a string");
    cp = (cp << 6) | (c & 0x3F);
  }
  const uint32_t min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    pos_ = start;
    fail("invalid UTF-8 in a string");
  }
  if (out) out->append(s_.data() + start, pos_ - start);
}

std::string Reader::read_string() {
  if (peek_kind() != Kind::String) fail("expected a string");
  ++pos_;
  std::string out;
  for (;;) {
    if (at_end()) fail("unterminated string");
    const char c = peek();
    if (c == '"') {
      ++pos_;
      return out;
    }
    if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
    if (static_cast<unsigned char>(c) >= 0x80) {
      utf8_sequence(&out);
      continue;
    }
    ++pos_;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (at_end()) fail("unterminated string");
    const char e = peek();
    ++pos_;
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        uint32_t cp = hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF) fail("unpaired surrogate in a \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
            fail("unpaired surrogate in a \\u escape");
          pos_ += 2;
          const uint32_t lo = hex4();
          if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in a \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        append_utf8(&out, cp);
        break;
      }
      default:
        pos_ -= 1;
        fail("invalid escape in a string");
    }
  }
}

void Reader::skip(int depth) {
  if (depth >= kMaxDepth) fail("JSON nested too deeply");
  switch (peek_kind()) {
    case Kind::Object:
      ++pos_;
      for (bool first = true; more('}', first); first = false) {
        read_string();
        colon();
        skip(depth + 1);
      }
      return;
    case Kind::Array:
      ++pos_;
      for (bool first = true; more(']', first); first = false) skip(depth + 1);
      return;
    case Kind::String:
      read_string();
      return;
    case Kind::Bool:
      expect_literal(peek() == 't' ? "true" : "false");
      return;
    case Kind::Null:
      expect_literal("null");
      return;
    case Kind::Number:
      skip_number();
      return;
    case Kind::End:
      fail("unexpected end of the JSON text");
    case Kind::Invalid:
      break;
  }
  fail("unexpected character");
}

void Reader::skip_value() { skip(1); }

void Reader::finish() {
  if (peek_kind() != Kind::End) fail("unexpected data after the JSON value");
}

}  // namespace json
}  // namespace webtorch
