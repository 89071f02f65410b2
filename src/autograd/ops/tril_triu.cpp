// tril / triu (and in place): the lower / upper triangle of the last two dims, the rest zero.
// TrilBackward0 / TriuBackward0: the gradient through the same triangle (grad.tril(k)).

#include "ops/triangle.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct TriangleBackward : Node {
  TriangleBackward(bool lower, int64_t k) : lower_(lower), k_(k) {}
  std::string name() const override { return lower_ ? "TrilBackward0" : "TriuBackward0"; }
  variable_list apply(variable_list&& grads) override {
    return {lower_ ? tril(grads[0], k_) : triu(grads[0], k_)};
  }
  bool lower_;
  int64_t k_;
};

// PyTorch wraps dim -2 first: IndexError texts for 0-d and 1-d inputs.
void check_matrix(const Tensor& self) { (void)shape::wrap_dim(-2, self.dim(), false); }

Tensor triangle(const Tensor& self, int64_t k, bool lower) {
  auto node = autograd::make_node<TriangleBackward>({&self}, lower, k);
  check_matrix(self);
  Tensor out = contiguous_clone(self);
  native::zero_outside_triangle(out, k, lower);
  if (node) autograd::set_history(out, node);
  return out;
}

const Tensor& triangle_(const Tensor& self, int64_t k, bool lower) {
  const bool rg = autograd::compute_requires_grad({&self});
  run_inplace(
      self, rg, [&] { return autograd::make_node<TriangleBackward>({&self}, lower, k); },
      [&] {
        check_matrix(self);
        check_no_internal_overlap(self);
      },
      [&] { native::zero_outside_triangle(self, k, lower); });
  return self;
}
}  // namespace

Tensor tril(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, true); }
Tensor triu(const Tensor& self, int64_t diagonal) { return triangle(self, diagonal, false); }
const Tensor& tril_(const Tensor& self, int64_t diagonal) { return triangle_(self, diagonal, true); }
const Tensor& triu_(const Tensor& self, int64_t diagonal) { return triangle_(self, diagonal, false); }

}  // namespace webtorch
