#include "core/autograd_state.h"

namespace webtorch {

AutogradState& AutogradState::tls() {
  thread_local AutogradState state = kDefaultAutogradState;
  return state;
}

}  // namespace webtorch
