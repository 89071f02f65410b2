#include "core/generator.h"

namespace webtorch {

CPUGenerator& default_generator() {
  static CPUGenerator generator;
  return generator;
}

}  // namespace webtorch
