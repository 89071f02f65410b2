#pragma once
// AccumulateGrad: the node at a leaf that requires grad; adds incoming gradients to .grad.
// It holds the leaf; the leaf holds it only weakly (no cycle), so it lives as long as
// some graph uses it.

#include "autograd/node.h"

namespace webtorch {

class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(Tensor variable);
  std::string name() const override { return "AccumulateGrad"; }
  variable_list apply(variable_list&& grads) override;
  bool is_active(const variable_list& grads) const override;
  const Tensor& variable() const { return variable_; }

 private:
  Tensor variable_;
};

}  // namespace webtorch
