#pragma once
// The nodes' forward stacks of anomaly mode (Note [Anomaly mode] in core/anomaly_mode.h),
// kept beside the graph (torch keeps them in each node's metadata) so a node costs nothing
// more while the mode is off.

#include <memory>
#include <string>

#include "autograd/node.h"

namespace webtorch {

// Gives the JavaScript stack of one forward call to the nodes it made: root (the grad_fn of
// its result) and every node reachable from it that was numbered since the last call (a
// composite op's inner nodes) or since forward_stacks_start_now() (called when anomaly mode
// turns on, so older nodes keep none). A node that has a stack keeps it.
void record_forward_stack(const std::shared_ptr<Node>& root, const std::string& stack);
void forward_stacks_start_now();
// The stack recorded for fn, or empty.
const std::string& forward_stack(const Node* fn);
// Called by ~Node.
void forget_forward_stack(const Node* fn);

// The number of sequence numbers handed out so far (node.cpp).
uint64_t sequence_nrs_issued();

}  // namespace webtorch
