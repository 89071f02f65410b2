// copy_ (CopyBackwards): self takes src's values (broadcast and cast).

#include "kernels/copy.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct CopyBackwards : Node {
  std::string name() const override { return "CopyBackwards"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    variable_list out(2);
    if (should_compute_output(0)) out[0] = zeros_like(g);
    if (should_compute_output(1)) {
      Tensor s = sum_to(g, src_sizes_);
      out[1] = s.dtype() == src_dtype_ ? s : to_dtype(s, src_dtype_);
    }
    return out;
  }
  DimVector src_sizes_;
  ScalarType src_dtype_;
};
}  // namespace

const Tensor& copy_(const Tensor& self, const Tensor& src) {
  // An int32/bool destination is not differentiable: it never records (torch drops the graph).
  const bool rg = is_floating(self.dtype()) && autograd::compute_requires_grad({&self, &src});
  // A source that shares memory with self (in a layout Note [Memory overlap] lets through) is
  // read completely before self is written.
  const bool overlaps = self.impl()->storage() == src.impl()->storage();
  // PyTorch's copy_impl returns before any memory check when src is self: there is
  // nothing to write (autograd still records, the version still moves). Another tensor
  // with the same elements is checked as any source.
  const bool same_data = self.is_same(src);
  return run_inplace(
      self, rg,
      [&] {
        auto node = autograd::make_node<CopyBackwards>({&self, &src});
        node->src_sizes_.assign(src.sizes());
        node->src_dtype_ = src.dtype();
        return node;
      },
      [&] {
        if (same_data) return;
        check_no_internal_overlap(self);
        check_no_partial_overlap(self, src);
        const DimVector shape = shape::broadcast_shapes(self.sizes(), src.sizes());
        WT_CHECK(IntArrayRef(shape).equals(self.sizes()), "output with shape ", self.sizes(),
                 " doesn't match the broadcast shape ", IntArrayRef(shape));
      },
      [&] {
        if (!same_data) kernels::copy(self, overlaps ? contiguous_clone(src) : src);
      });
}

}  // namespace webtorch
