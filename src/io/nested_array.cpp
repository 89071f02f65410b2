#include "io/nested_array.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"

namespace webtorch {
namespace io {

namespace {

// One value of the text, in pre-order. An array's elements follow it; `next` is the index
// after its last descendant.
struct Node {
  enum class Kind : uint8_t { Array, Number, Bool, Null };
  Kind kind;
  uint32_t length = 0;  // arrays: number of elements
  uint32_t next = 0;    // arrays: index of the node after the subtree
  double value = 0;
};

constexpr const char* kSyntax = "tensor(): invalid nested-array text at offset ";

std::string show_char(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return str("'", c, "'");
  static const char* hex = "0123456789abcdef";
  return str("byte 0x", hex[u >> 4], hex[u & 15]);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  // Phase 1: the whole text into nodes, iteratively (any syntactic depth is safe).
  std::vector<Node> tokenize() {
    WT_CHECK(text_.size() < (size_t(1) << 31), "tensor(): nested-array text of ", text_.size(),
             " bytes is too large");
    std::vector<Node> nodes;
    std::vector<uint32_t> open;  // indices of the arrays not yet closed
    bool want_value = true;
    for (;;) {
      skip_space();
      if (want_value) {
        if (pos_ == text_.size()) fail_end("a value");
        if (!open.empty()) nodes[open.back()].length += 1;
        if (text_[pos_] == '[') {
          open.push_back(uint32_t(nodes.size()));
          nodes.push_back(Node{Node::Kind::Array});
          ++pos_;
          skip_space();
          if (pos_ < text_.size() && text_[pos_] == ']') {
            ++pos_;
            close(nodes, open);
            want_value = false;
          }
          continue;
        }
        nodes.push_back(scalar());
        want_value = false;
        continue;
      }
      if (open.empty()) {
        if (pos_ != text_.size())
          throw_error(str(kSyntax, pos_, ": unexpected ", show_char(text_[pos_]), " after the end of the data"));
        return nodes;
      }
      if (pos_ == text_.size()) fail_end("',' or ']'");
      const char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        want_value = true;
      } else if (c == ']') {
        ++pos_;
        close(nodes, open);
      } else {
        throw_error(str(kSyntax, pos_, ": expected ',' or ']' but found ", show_char(c)));
      }
    }
  }

 private:
  static void close(std::vector<Node>& nodes, std::vector<uint32_t>& open) {
    nodes[open.back()].next = uint32_t(nodes.size());
    open.pop_back();
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  [[noreturn]] void fail_end(const char* expected) const {
    throw_error(str(kSyntax, pos_, ": the text ends where ", expected, " was expected"));
  }
  [[noreturn]] void fail_char() const {
    throw_error(str(kSyntax, pos_, ": unexpected ", show_char(text_[pos_])));
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool digit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  void digits() {
    if (!digit()) {
      if (pos_ == text_.size()) fail_end("a digit");
      fail_char();
    }
    while (digit()) ++pos_;
  }

  Node scalar() {
    const size_t start = pos_;
    Node node{Node::Kind::Number};
    if (literal("true")) {
      node = Node{Node::Kind::Bool};
      node.value = 1;
    } else if (literal("false")) {
      node = Node{Node::Kind::Bool};
    } else if (literal("null")) {
      node = Node{Node::Kind::Null};
    } else if (literal("NaN")) {
      node.value = std::nan("");
    } else if (literal("Infinity")) {
      node.value = HUGE_VAL;
    } else if (literal("-Infinity")) {
      node.value = -HUGE_VAL;
    } else {
      // JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
      if (text_[pos_] == '-') ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '0') {
        ++pos_;
      } else if (digit()) {
        digits();
      } else {
        if (pos_ == text_.size()) fail_end("a digit");
        fail_char();
      }
      if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        digits();
      }
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        digits();
      }
      // strtod needs a terminated copy; it rounds correctly and overflows to +-inf, as
      // JavaScript's Number() does.
      const std::string token(text_.substr(start, pos_ - start));
      node.value = std::strtod(token.c_str(), nullptr);
    }
    return node;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// Phase 2: the JavaScript path's steps over the nodes (Note [Nested-array semantics]).
class Walker {
 public:
  Walker(const std::vector<Node>& nodes, NestedArray& out, std::optional<ScalarType> dtype)
      : nodes_(nodes), out_(out) {
    if (dtype) out_.dtype = *dtype;
    infer_ = !dtype;
  }

  void run() {
    for (size_t i = 0; nodes_[i].kind == Node::Kind::Array; ++i) {
      WT_CHECK(out_.shape.size() < size_t(kMaxDims),
               "tensor(): too many dimensions: webtorch supports tensors of at most ", kMaxDims,
               " dimensions");
      out_.shape.push_back(nodes_[i].length);
      if (nodes_[i].length == 0) break;
    }
    if (infer_) {
      infer(0, 0);
      out_.dtype = saw_bool_ && !saw_float_ ? ScalarType::Bool : ScalarType::Float32;
    }
    if (!out_.shape.empty() && out_.shape.back() == 0) return;  // no values: nothing is read
    walk(0, 0);
  }

 private:
  static const char* type_name(const Node& n) {
    switch (n.kind) {
      case Node::Kind::Array:
        return "Array";
      case Node::Kind::Null:
        return "null";
      case Node::Kind::Bool:
        return "boolean";
      case Node::Kind::Number:
      default:
        return "number";
    }
  }

  // torch's infer_scalar_type over every element; arrays deeper than kMaxDims are not entered,
  // as in JavaScript (there they could be a cycle). Returns the index after the subtree at i.
  size_t infer(size_t i, size_t depth) {
    const Node& n = nodes_[i];
    switch (n.kind) {
      case Node::Kind::Array:
        if (n.length == 0) {
          saw_float_ = true;  // an empty list is the default dtype in torch's promotion
        } else if (depth < size_t(kMaxDims)) {
          size_t next = i + 1;
          for (uint32_t k = 0; k < n.length; ++k) next = infer(next, depth + 1);
        }
        return n.next;
      case Node::Kind::Number:
        saw_float_ = true;  // a JavaScript number is a float (Note [Literal dtypes] in js/data.mjs)
        return i + 1;
      case Node::Kind::Bool:
        saw_bool_ = true;
        return i + 1;
      case Node::Kind::Null:
      default:
        throw_error("Could not infer dtype of null");
    }
  }

  // torch's recursive_store. Returns the index after the subtree at i; recursion is at most
  // kMaxDims + 1 deep.
  size_t walk(size_t i, size_t dim) {
    const Node& n = nodes_[i];
    if (dim == out_.shape.size()) {
      if (n.kind != Node::Kind::Number && n.kind != Node::Kind::Bool) {
        if (out_.dtype == ScalarType::Float32) throw_error(str("must be real number, not ", type_name(n)));
        throw_error(str("'", type_name(n), "' object cannot be interpreted as an integer"));
      }
      out_.values.push_back(n.value);
      return i + 1;
    }
    const int64_t expected = out_.shape[dim];
    if (n.kind != Node::Kind::Array) throw_error("not a sequence");
    if (int64_t(n.length) != expected)
      throw_error(str("expected sequence of length ", expected, " at dim ", int64_t(dim), " (got ",
                      int64_t(n.length), ")"));
    size_t next = i + 1;
    for (uint32_t k = 0; k < n.length; ++k) next = walk(next, dim + 1);
    return next;
  }

  const std::vector<Node>& nodes_;
  NestedArray& out_;
  bool infer_ = false, saw_float_ = false, saw_bool_ = false;
};

}  // namespace

NestedArray parse_nested_array(std::string_view text, std::optional<ScalarType> dtype) {
  const std::vector<Node> nodes = Parser(text).tokenize();
  NestedArray out;
  Walker(nodes, out, dtype).run();
  if (out.dtype == ScalarType::Int32) {
    for (double& v : out.values) {
      // c10's overflows<int32_t>(double), checked before truncating: NaN, +-inf and values
      // outside [-2^31, 2^31 - 1].
      WT_CHECK(!std::isnan(v) && v >= -2147483648.0 && v <= 2147483647.0,
               "value cannot be converted to type int32 without overflow");
      v = std::trunc(v);
    }
  } else if (out.dtype == ScalarType::Bool) {
    for (double& v : out.values) v = v != 0 ? 1 : 0;  // NaN != 0: true, as in PyTorch
  }
  return out;
}

}  // namespace io
}  // namespace webtorch
