#include "autograd/anomaly.h"

#include <unordered_map>
#include <vector>

namespace webtorch {

namespace {
thread_local std::unordered_map<const Node*, std::string> stacks;
// Nodes numbered from here on have not been given a stack yet.
thread_local uint64_t unstamped_from = 0;
const std::string kNoStack;
}  // namespace

void forward_stacks_start_now() { unstamped_from = sequence_nrs_issued(); }

void record_forward_stack(const std::shared_ptr<Node>& root, const std::string& stack) {
  std::vector<Node*> work{root.get()};
  while (!work.empty()) {
    Node* fn = work.back();
    work.pop_back();
    if (fn->sequence_nr() < unstamped_from || stacks.count(fn)) continue;
    stacks.emplace(fn, stack);
    for (const Edge& e : fn->next_edges())
      if (e.is_valid()) work.push_back(e.function.get());
  }
  unstamped_from = sequence_nrs_issued();
}

const std::string& forward_stack(const Node* fn) {
  if (stacks.empty()) return kNoStack;
  auto it = stacks.find(fn);
  return it == stacks.end() ? kNoStack : it->second;
}

void forget_forward_stack(const Node* fn) {
  if (!stacks.empty()) stacks.erase(fn);
}

}  // namespace webtorch
