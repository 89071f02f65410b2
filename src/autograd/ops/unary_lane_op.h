#pragma once
// The shape the floating unary ops of issue 14 share (sin, cos, erf, softplus, silu, gelu
// tanh): the value is one float lane per element (kernels::unary_lane; integral inputs read as
// float32), the node saves self and its backward is written with recordable ops, so that under
// create_graph the gradient records and can be differentiated again.

#include "autograd/recording.h"

namespace webtorch {

struct SavesSelfNode : Node {
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
};

// Runs lane over self and records NodeT (init(node) fills its extra fields).
template <class NodeT, class Init>
Tensor record_unary_lane(kernels::FloatLane lane, const Tensor& self, Init&& init) {
  auto node = autograd::make_node<NodeT>({&self});
  if (node) {
    node->self_ = SavedVariable(self, false);
    init(*node);
  }
  Tensor out = unary_out_of_place(lane, self);
  if (node) autograd::set_history(out, node);
  return out;
}

template <class NodeT>
Tensor record_unary_lane(kernels::FloatLane lane, const Tensor& self) {
  return record_unary_lane<NodeT>(lane, self, [](NodeT&) {});
}

}  // namespace webtorch
