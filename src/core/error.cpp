#include "core/error.h"

namespace webtorch {

void throw_error(std::string message) { throw Error(std::move(message)); }

}  // namespace webtorch
