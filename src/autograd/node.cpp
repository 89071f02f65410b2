#include "autograd/node.h"

#include "autograd/anomaly.h"
#include "core/memory_stats.h"

namespace webtorch {

namespace {
thread_local uint64_t sequence_counter = 0;
}  // namespace

uint64_t next_sequence_nr() { return sequence_counter++; }
uint64_t sequence_nrs_issued() { return sequence_counter; }

Node::Node() : sequence_nr_(next_sequence_nr()) {
  memory_stats().graph_nodes += 1;
}

Node::~Node() {
  memory_stats().graph_nodes -= 1;
  forget_forward_stack(this);
}

void NodeDeleter::operator()(Node* node) const {
  thread_local std::vector<Node*>* pending = nullptr;
  if (pending != nullptr) {
    pending->push_back(node);
    return;
  }
  std::vector<Node*> work{node};
  pending = &work;
  while (!work.empty()) {
    Node* current = work.back();
    work.pop_back();
    current->release_variables();
    { std::vector<Edge> edges = std::move(current->next_edges()); }
    delete current;
  }
  pending = nullptr;
}

uint32_t Node::add_input_metadata(const Tensor& t) {
  input_metadata_.push_back(InputMetadata{DimVector(t.sizes()), t.dtype()});
  return uint32_t(input_metadata_.size() - 1);
}

void Node::add_pre_hook(uint32_t input_nr, std::shared_ptr<HookList> hooks) {
  for (const PreHook& h : pre_hooks_)
    if (h.input_nr == input_nr && h.hooks == hooks) return;
  pre_hooks_.push_back(PreHook{input_nr, std::move(hooks), nullptr});
}

void Node::add_retains_grad_hook(uint32_t input_nr, std::shared_ptr<RetainedGrad> cell) {
  pre_hooks_.push_back(PreHook{input_nr, nullptr, std::move(cell)});
}

void Node::remove_retains_grad_hook(const std::shared_ptr<RetainedGrad>& cell) {
  // Left as an empty entry, not erased: a backward pass may be walking this list.
  for (PreHook& h : pre_hooks_)
    if (h.retained == cell) h.retained.reset();
}

}  // namespace webtorch
