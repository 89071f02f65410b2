#pragma once
// Node: one step of the backward graph (torch::autograd::Node).
//
// A node receives the gradients of its forward op's outputs (its "inputs" here) and
// returns the gradients of the forward op's inputs, one per next edge.

#include <memory>
#include <string>
#include <vector>

#include "autograd/edge.h"
#include "autograd/hooks.h"
#include "core/dim_vector.h"
#include "core/tensor.h"

namespace webtorch {

using variable_list = std::vector<Tensor>;

// What a gradient flowing into a node input must look like: the forward output's
// shape and dtype. Used to make zero gradients and to check custom backward results.
struct InputMetadata {
  DimVector sizes;
  ScalarType dtype;
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // PyTorch's node name, e.g. "MulBackward0".
  virtual std::string name() const = 0;
  virtual variable_list apply(variable_list&& grads) = 0;
  // Frees saved tensors after a backward pass that does not retain the graph.
  virtual void release_variables() {}
  // A node whose backward is JavaScript (torch.autograd.Function): the engine pauses.
  virtual int32_t external_function_id() const { return -1; }
  // False for a node that must not run now (an AccumulateGrad whose leaf no longer requires
  // grad): the engine skips it, its hooks included. May throw (a leaf that became a non-leaf).
  virtual bool is_active(const variable_list& /*grads*/) const { return true; }

  uint64_t sequence_nr() const { return sequence_nr_; }
  void set_sequence_nr(uint64_t nr) { sequence_nr_ = nr; }

  const std::vector<Edge>& next_edges() const { return next_edges_; }
  std::vector<Edge>& next_edges() { return next_edges_; }
  void set_next_edges(std::vector<Edge> edges) { next_edges_ = std::move(edges); }
  void add_next_edge(Edge edge) { next_edges_.push_back(std::move(edge)); }
  size_t num_outputs() const { return next_edges_.size(); }
  bool should_compute_output(size_t i) const {
    return i < next_edges_.size() && next_edges_[i].is_valid();
  }

  // Registers a forward output; returns its output_nr.
  uint32_t add_input_metadata(const Tensor& t);
  const std::vector<InputMetadata>& input_metadata() const { return input_metadata_; }
  size_t num_inputs() const { return input_metadata_.size(); }

  // A tensor's hook list, or its retain_grad() cell (at most one is set; neither once the
  // cell moved away), for one input (Note [Hook lists]).
  struct PreHook {
    uint32_t input_nr;
    std::shared_ptr<HookList> hooks;
    std::shared_ptr<RetainedGrad> retained;
  };
  std::vector<PreHook>& pre_hooks() { return pre_hooks_; }
  void add_pre_hook(uint32_t input_nr, std::shared_ptr<HookList> hooks);
  void add_retains_grad_hook(uint32_t input_nr, std::shared_ptr<RetainedGrad> cell);
  // Detaches cell from this node (when its tensor moves to a new grad_fn).
  void remove_retains_grad_hook(const std::shared_ptr<RetainedGrad>& cell);

 private:
  uint64_t sequence_nr_;
  std::vector<Edge> next_edges_;
  std::vector<InputMetadata> input_metadata_;
  std::vector<PreHook> pre_hooks_;
};

// Sequence numbers order the backward pass: later forward ops run first.
uint64_t next_sequence_nr();

// Note [Iterative graph destruction]
// Dropping the last reference to a long graph must not recurse (a 100,000-op chain would
// overflow the wasm stack): every node is owned through NodeDeleter, which frees nodes from
// a work list. A node being freed first releases its saved tensors and next edges; any node
// whose count drops to zero meanwhile is queued, not freed recursively. So every node is
// created with make_node_ptr, never std::make_shared.
struct NodeDeleter {
  void operator()(Node* node) const;
};

template <class T, class... Args>
std::shared_ptr<T> make_node_ptr(Args&&... args) {
  return std::shared_ptr<T>(new T(std::forward<Args>(args)...), NodeDeleter{});
}

}  // namespace webtorch
