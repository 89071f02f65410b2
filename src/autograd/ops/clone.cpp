// clone (CloneBackward0), contiguous and detach.

#include "autograd/variable.h"
#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct CloneBackward0 : Node {
  std::string name() const override { return "CloneBackward0"; }
  variable_list apply(variable_list&& grads) override { return {grads[0]}; }
};
// clone() of an inference tensor outside InferenceMode is empty_like + copy_ in PyTorch, so
// the node it records is copy_'s (same gradient, torch's name).
struct CloneThroughCopyBackwards : CloneBackward0 {
  std::string name() const override { return "CopyBackwards"; }
};

// PyTorch's preserve_format: a dense (non-overlapping, gap-free) input keeps its memory
// order; anything else becomes contiguous.
DimVector preserved_strides(const Tensor& self) {
  const int64_t n = self.dim();
  int perm[kMaxDims];
  for (int i = 0; i < n; ++i) perm[i] = i;
  // Order dims by stride, innermost last (stable, so ties keep logical order).
  for (int i = 1; i < n; ++i) {
    int cur = perm[i], j = i - 1;
    while (j >= 0 && self.stride(perm[j]) < self.stride(cur)) {
      perm[j + 1] = perm[j];
      --j;
    }
    perm[j + 1] = cur;
  }
  int64_t expected = 1;
  bool dense = true;
  for (int i = int(n) - 1; i >= 0; --i) {
    const int64_t s = self.size(perm[i]);
    if (s == 1) continue;
    if (self.stride(perm[i]) != expected) dense = false;
    expected *= s;
  }
  if (!dense || self.is_contiguous()) return shape::contiguous_strides(self.sizes());
  DimVector strides(size_t(n), 0);
  int64_t running = 1;
  for (int i = int(n) - 1; i >= 0; --i) {
    strides[size_t(perm[i])] = running;
    running *= std::max<int64_t>(self.size(perm[i]), 1);
  }
  return strides;
}
}  // namespace

Tensor clone(const Tensor& self) {
  // PyTorch clones an inference tensor outside InferenceMode by copy_ into a fresh normal
  // tensor, so the autograd layer runs even though self is an inference tensor
  // (Note [Autograd runs only for normal tensors]): the clone requires grad if self does.
  std::shared_ptr<CloneBackward0> node;
  if (autograd::autograd_active() && self.requires_grad()) {
    if (self.is_inference()) node = make_node_ptr<CloneThroughCopyBackwards>();
    else node = make_node_ptr<CloneBackward0>();
    node->set_next_edges(autograd::collect_next_edges({&self}));
  }
  Tensor out = empty_strided(self.sizes(), preserved_strides(self), self.dtype());
  kernels::copy(out, self);
  if (node) autograd::set_history(out, node);
  return out;
}

Tensor contiguous(const Tensor& self) {
  if (self.is_contiguous()) return self;
  auto node = autograd::make_node<CloneBackward0>({&self});
  Tensor out = empty(self.sizes(), self.dtype());
  kernels::copy(out, self);
  if (node) autograd::set_history(out, node);
  return out;
}

// PyTorch's detach is a view without autograd: it shares storage and the version counter,
// and is an inference tensor iff self is.
Tensor detach(const Tensor& self) { return autograd::detach(self); }

}  // namespace webtorch
