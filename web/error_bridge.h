#pragma once
// Every entry point JavaScript can call runs inside `guarded`: a C++ exception never
// crosses into JavaScript (that would leak wasm stack and heap, see DEVELOPERS.md and
// research/toolchain-verified.md §4). The message is kept for `last_error()` and the entry
// point returns a sentinel; the JS wrapper then throws `new Error(lastError())`.

#include <exception>
#include <new>
#include <string>

namespace webtorch {
namespace web {

std::string& last_error();

template <class R, class Fn>
R guarded(R sentinel, Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    last_error() = "DefaultCPUAllocator: can't allocate memory: out of memory (std::bad_alloc)";
  } catch (const std::exception& e) {
    last_error() = e.what();
  } catch (...) {
    last_error() = "unknown C++ exception";
  }
  return sentinel;
}

}  // namespace web
}  // namespace webtorch
