// nll_loss_backward(grad_output, self, target, ...) and its node, NllLossBackwardBackward0
// (NllLoss2DBackwardBackward0 for nll_loss2d), with torch 1.13's formulas:
//   grad_output: nll_loss(grad, target, weight, reduction, ignore_index)  (nll_loss2d for 2-D)
//   self:        zeros_like(grad)
// The loss is linear in self, so its second derivative is zero; the first term is the one a
// gradient penalty or a Hessian-vector product through cross_entropy needs.

#include "autograd/ops/nll_loss_backward.h"

#include "autograd/ops/nn_ops.h"
#include "autograd/recording.h"
#include "ops/nll_loss.h"

namespace webtorch {

namespace {

struct NllLossBackwardBackward : Node {
  explicit NllLossBackwardBackward(bool is_2d) : is_2d_(is_2d) {}
  std::string name() const override { return is_2d_ ? "NllLoss2DBackwardBackward0" : "NllLossBackwardBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor target = target_.unpack(this), weight = weight_.unpack(this);
    variable_list out(2);
    if (should_compute_output(0))
      out[0] = is_2d_ ? nll_loss2d(g, target, weight, reduction_, ignore_index_)
                      : nll_loss(g, target, weight, reduction_, ignore_index_);
    if (should_compute_output(1)) out[1] = zeros(g.sizes(), g.dtype());
    return out;
  }
  void release_variables() override {
    target_.reset_data();
    weight_.reset_data();
  }
  SavedVariable target_, weight_;
  Reduction reduction_ = Reduction::Mean;
  int64_t ignore_index_ = -100;
  bool is_2d_;
};

}  // namespace

Tensor nll_loss_backward(const Tensor& grad_output, const Edge& self_edge, const NllLossArgs& args) {
  // make_node's rule (Note [Autograd runs only for normal tensors]) with self known only by its edge.
  std::shared_ptr<NllLossBackwardBackward> node;
  if (autograd::autograd_active() && (grad_output.requires_grad() || self_edge.is_valid())) {
    node = make_node_ptr<NllLossBackwardBackward>(args.is_2d);
    node->set_next_edges({autograd::collect_next_edges({&grad_output})[0], self_edge});
    node->target_ = SavedVariable(args.target, false);
    node->weight_ = SavedVariable(args.weight, false);
    node->reduction_ = args.reduction;
    node->ignore_index_ = args.ignore_index;
  }
  Tensor gi = native::nll_loss_backward(grad_output, args.target, args.weight, args.self_sizes, args.reduction,
                                        args.ignore_index, args.total_weight);
  if (node) autograd::set_history(gi, node);
  return gi;
}

}  // namespace webtorch
