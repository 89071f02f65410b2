#pragma once
// Every failed check in webtorch throws webtorch::Error carrying PyTorch's text.
// Nothing in src/ aborts: the wasm instance and every tensor the user holds must
// survive a bad call (see web/error_bridge.h for how the text reaches JavaScript).

#include <exception>
#include <string>

#include "core/str.h"

namespace webtorch {

class Error : public std::exception {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string message_;
};

[[noreturn]] void throw_error(std::string message);

}  // namespace webtorch

// WT_CHECK(cond, parts...): throws webtorch::Error(str(parts...)) when cond is false.
// The message is only built on failure.
#define WT_CHECK(cond, ...)                                     \
  do {                                                          \
    if (!(cond)) ::webtorch::throw_error(::webtorch::str(__VA_ARGS__)); \
  } while (0)
