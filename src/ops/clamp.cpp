// clamp, clamp_ and ClampBackward1 (Python-number bounds): the gradient passes where
// min <= self <= max, inclusive, with self's value from before an in-place clamp_.
//
// Types as in PyTorch's clamp meta function: a floating self keeps its dtype; an integral
// self takes part in type promotion with the bounds (int32.clamp(0.5) is float32), and
// clamp_ refuses a promotion. Both bounds given and either is NaN: the result is all NaN.

#include <cmath>
#include <limits>

#include "kernels/copy.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {

struct ClampBackward1 : Node {
  std::string name() const override { return "ClampBackward1"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor self = self_.unpack(this);
    Tensor keep;
    if (min_ && max_) keep = mul(ge(self, *min_), le(self, *max_));
    else if (min_) keep = ge(self, *min_);
    else if (max_) keep = le(self, *max_);
    else return {g};
    return {where(keep, g, Scalar(0.0))};
  }
  void release_variables() override { self_.reset_data(); }
  SavedVariable self_;
  std::optional<Scalar> min_, max_;
};

// The dtype clamp computes in, and PyTorch's name for it in the clamp_ error.
ScalarType clamp_type(const Tensor& self, const std::optional<Scalar>& min,
                      const std::optional<Scalar>& max) {
  WT_CHECK(min || max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  if (is_floating(self.dtype())) return self.dtype();
  ScalarType t = self.dtype();
  // Bounds are wrapped numbers: only a higher category promotes.
  for (const auto* b : {&min, &max})
    if (*b && category_rank((*b)->dtype()) > category_rank(t)) t = (*b)->dtype();
  return t;
}

void check_kernel(ScalarType type, bool has_min, bool has_max) {
  const char* kernel = has_min && has_max ? "clamp_scalar_cpu" : has_min ? "clamp_min_cpu" : "clamp_max_scalar_cpu";
  check_dispatch(type != ScalarType::Bool, kernel, type);
}

bool any_nan(const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return min && max && (std::isnan(min->to_double()) || std::isnan(max->to_double()));
}

// Writes clamp(in) into out (both of the compute dtype).
void clamp_into(const Tensor& out, const Tensor& in, const std::optional<Scalar>& min,
                const std::optional<Scalar>& max) {
  if (any_nan(min, max)) {
    kernels::fill(out, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  const double inf = std::numeric_limits<double>::infinity();
  kernels::unary(kernels::UnaryOp::Clamp, out, in, min ? min->to_double() : -inf,
                 max ? max->to_double() : inf);
}

std::shared_ptr<ClampBackward1> make(const Tensor& self, const Tensor& saved,
                                     const std::optional<Scalar>& min,
                                     const std::optional<Scalar>& max) {
  auto node = autograd::make_node<ClampBackward1>({&self});
  if (node) {
    node->self_ = SavedVariable(saved, false);
    node->min_ = min;
    node->max_ = max;
  }
  return node;
}

}  // namespace

Tensor clamp(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max) {
  const ScalarType type = clamp_type(self, min, max);
  if (!any_nan(min, max)) check_kernel(type, bool(min), bool(max));
  auto node = make(self, self, min, max);
  Tensor out = empty(self.sizes(), type);
  clamp_into(out, cast_to(self, type), min, max);
  if (node) autograd::set_history(out, node);
  return out;
}

const Tensor& clamp_(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max) {
  const bool rg = autograd::compute_requires_grad({&self});
  return run_inplace(
      self, rg,
      // self's old value decides the gradient: save a copy taken before the write.
      [&] { return make(self, contiguous_clone(self), min, max); },
      [&] {
        const ScalarType type = clamp_type(self, min, max);
        // PyTorch prints the result type by its ScalarType name and self's by its TypeMeta
        // name; an integral result here came from a Python int, which torch types as Long.
        WT_CHECK(type == self.dtype(), "result type ",
                 type == ScalarType::Int32 ? "Long" : torch_name(type),
                 " can't be cast to the desired output type ",
                 self.dtype() == ScalarType::Bool ? "bool" : "int");
        if (!any_nan(min, max)) check_kernel(type, bool(min), bool(max));
        check_no_internal_overlap(self);
      },
      [&] { clamp_into(self, self, min, max); });
}

}  // namespace webtorch
