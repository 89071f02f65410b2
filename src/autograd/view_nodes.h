#pragma once
// The nodes that view + in-place handling needs (Note [View tracking]).

#include <memory>

#include "autograd/node.h"
#include "core/dim_vector.h"

namespace webtorch {

// Where a tensor sits in its storage.
struct TensorGeometry {
  explicit TensorGeometry(const Tensor& t)
      : sizes(t.sizes()), strides(t.strides()), storage_offset(t.storage_offset()) {}
  DimVector sizes, strides;
  int64_t storage_offset;
};

// The gradient of a view w.r.t. its base, for views whose grad_fn was regenerated after
// an in-place change. Overlapping views (expand) accumulate.
class AsStridedBackward0 : public Node {
 public:
  AsStridedBackward0(const Tensor& base, const Tensor& view) : base_(base), view_(view) {}
  std::string name() const override { return "AsStridedBackward0"; }
  variable_list apply(variable_list&& grads) override;

 private:
  TensorGeometry base_, view_;
};

// The base's grad_fn after an in-place op on one of its views: runs the op's backward on
// the slice of the gradient the view covers, and passes the rest through.
class CopySlices : public Node {
 public:
  CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn);
  std::string name() const override { return "CopySlices"; }
  variable_list apply(variable_list&& grads) override;
  // As PyTorch's: the wrapped op's node is dropped; applying after that is a second backward.
  void release_variables() override { fn_ = nullptr; }
  // The in-place op's node (null once released).
  const std::shared_ptr<Node>& wrapped() const { return fn_; }

 private:
  // Note [CopySlices under createGraph]
  variable_list apply_recorded(const Tensor& grad);

  TensorGeometry base_, view_;
  std::shared_ptr<Node> fn_;
};

}  // namespace webtorch
