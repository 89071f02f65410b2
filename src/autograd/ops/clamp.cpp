// clamp, clamp_ and ClampBackward1 (Python-number bounds): the gradient passes where
// min <= self <= max, inclusive, with self's value from before an in-place clamp_.
// With tensor bounds (either may be undefined, i.e. None): ClampBackward0, the three operands
// broadcast and promote together, NaN in any of them gives NaN, and the bounds get gradients.
//
// Types as in PyTorch's clamp meta function: a floating self keeps its dtype; an integral
// self takes part in type promotion with the bounds (int32.clamp(0.5) is float32), and
// clamp_ refuses a promotion. Both bounds given and either is NaN: the result is all NaN.

#include <cmath>
#include <limits>

#include "core/grad_mode.h"
#include "kernels/copy.h"
#include "ops/elementwise_layout.h"
#include "autograd/recording.h"

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
  // A lone NaN bound changes nothing (torch's clamp_min/clamp_max keep x; its gradient is
  // still zero, ClampBackward1's comparisons with NaN being false).
  const double inf = std::numeric_limits<double>::infinity();
  auto bound = [](const std::optional<Scalar>& b, double none) {
    return b && !std::isnan(b->to_double()) ? b->to_double() : none;
  };
  kernels::unary(kernels::UnaryOp::Clamp, out, in, bound(min, -inf), bound(max, inf));
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

// torch's clamp_backward / clamp_backward_min_max for tensor bounds.
struct ClampBackward0 : Node {
  std::string name() const override { return "ClampBackward0"; }
  variable_list apply(variable_list&& grads) override {
    const Tensor& g = grads[0];
    const Tensor self = self_.unpack(this);
    const Tensor min = min_.unpack(this), max = max_.unpack(this);
    auto pass = [&](const Tensor& keep, const DimVector& sizes) {
      return sum_to(where(keep, g, Scalar(0.0)), sizes);
    };
    if (min.defined() && max.defined()) check_masks_combine();
    variable_list out(3);
    if (should_compute_output(0)) {
      Tensor keep = min.defined() ? ge(self, min) : le(self, max);
      if (min.defined() && max.defined()) keep = mul(keep, le(self, max));
      out[0] = pass(keep, self_sizes_);
    }
    if (min.defined() && should_compute_output(1)) {
      Tensor keep = lt(self, min);
      if (max.defined()) keep = mul(keep, lt(min, max));
      out[1] = cast_to(pass(keep, min_sizes_), min.dtype());
    }
    if (max.defined() && should_compute_output(2)) {
      Tensor keep = gt(self, max);
      if (min.defined()) keep = add(keep, lt(max, min));  // bool + bool: or
      out[2] = cast_to(pass(keep, max_sizes_), max.dtype());
    }
    return out;
  }
  // Note [clamp_backward_min_max combines masks in place]
  // With both bounds, PyTorch 1.13 combines each gradient's two masks with an in-place
  // logical_and_ / logical_or_ (self_ge_min &= self_le_max, self_lt_min &= min_lt_max,
  // self_gt_max |= max_lt_min), so backward fails, in that order, when the second mask's
  // broadcast shape does not fit in the first's (a bound that broadcasts self or the other
  // bound to a larger shape).
  void check_masks_combine() const {
    auto check = [](IntArrayRef a, IntArrayRef b, IntArrayRef c, IntArrayRef d) {
      const DimVector first = shape::broadcast_shapes(a, b);
      const DimVector both = shape::broadcast_shapes(first, shape::broadcast_shapes(c, d));
      WT_CHECK(IntArrayRef(both).equals(first), "output with shape ", IntArrayRef(first),
               " doesn't match the broadcast shape ", IntArrayRef(both));
    };
    if (should_compute_output(0)) check(self_sizes_, min_sizes_, self_sizes_, max_sizes_);
    if (should_compute_output(1)) check(self_sizes_, min_sizes_, min_sizes_, max_sizes_);
    if (should_compute_output(2)) check(self_sizes_, max_sizes_, max_sizes_, min_sizes_);
  }
  void release_variables() override {
    self_.reset_data();
    min_.reset_data();
    max_.reset_data();
  }
  SavedVariable self_, min_, max_;
  DimVector self_sizes_, min_sizes_, max_sizes_;
};

struct TensorBounds {
  ScalarType type;
  DimVector shape;
};

TensorBounds check_tensor_bounds(const Tensor& self, const Tensor& min, const Tensor& max) {
  WT_CHECK(min.defined() || max.defined(), "torch.clamp: At least one of 'min' or 'max' must not be None");
  TensorBounds b{self.dtype(), DimVector(self.sizes())};
  const Tensor& first = min.defined() ? min : max;
  b.type = result_type(self, first);
  b.shape = shape::broadcast_shapes(self.sizes(), first.sizes());
  if (min.defined() && max.defined()) {
    b.type = result_type({&self, &min, &max});
    b.shape = shape::broadcast_shapes(b.shape, max.sizes());
    // One bound is clamp_min / clamp_max (maximum, minimum: bool works); both is clamp_cpu.
    check_dispatch(b.type != ScalarType::Bool, "clamp_cpu", b.type);
  }
  return b;
}

// min(max(self, min), max) over the broadcast shape in dtype type; NaN anywhere gives NaN.
template <class T>
void clamp_tensor_loop(T* out, const T* x, const T* lo, const T* hi, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    T v = x[i];  // a NaN v compares false and stays; a NaN bound is taken
    if (lo && (lo[i] != lo[i] || v < lo[i])) v = lo[i];
    if (hi && (hi[i] != hi[i] || v > hi[i])) v = hi[i];
    out[i] = v;
  }
}

Tensor clamp_tensor_values(const Tensor& self, const Tensor& min, const Tensor& max,
                           const TensorBounds& b) {
  NoGradGuard no_grad;
  auto dense = [&](const Tensor& t) {
    return t.defined() ? contiguous_clone(expand(cast_to(t, b.type), b.shape)) : Tensor();
  };
  const Tensor x = dense(self), lo = dense(min), hi = dense(max);
  Tensor out = empty(b.shape, b.type);
  const int64_t n = out.numel();
  auto run = [&](auto tag) {
    using T = decltype(tag);
    clamp_tensor_loop<T>(out.data<T>(), x.data<T>(), lo.defined() ? lo.data<T>() : nullptr,
                         hi.defined() ? hi.data<T>() : nullptr, n);
  };
  if (b.type == ScalarType::Float32) run(float{});
  else if (b.type == ScalarType::Int32) run(int32_t{});
  else run(bool{});
  return out;
}

std::shared_ptr<ClampBackward0> make0(const Tensor& self, const Tensor& saved, const Tensor& min,
                                      const Tensor& max) {
  auto node = autograd::make_node<ClampBackward0>({&self, &min, &max});
  if (node) {
    node->self_ = SavedVariable(saved, false);
    if (min.defined()) node->min_ = SavedVariable(min, false);
    if (max.defined()) node->max_ = SavedVariable(max, false);
    node->self_sizes_.assign(self.sizes());
    if (min.defined()) node->min_sizes_.assign(min.sizes());
    if (max.defined()) node->max_sizes_.assign(max.sizes());
  }
  return node;
}

}  // namespace

Tensor clamp(const Tensor& self, const Tensor& min, const Tensor& max) {
  auto node = make0(self, self, min, max);  // Note [The autograd layer checks before the kernel]
  const TensorBounds b = check_tensor_bounds(self, min, max);
  // The dense loop writes in logical order; the result takes TensorIterator's layout.
  Tensor out = with_elementwise_layout(clamp_tensor_values(self, min, max, b), {&self, &min, &max}, b.type);
  if (node) autograd::set_history(out, node);
  return out;
}

const Tensor& clamp_(const Tensor& self, const Tensor& min, const Tensor& max) {
  const bool rg = autograd::compute_requires_grad({&self, &min, &max});
  TensorBounds b{};
  return run_inplace(
      self, rg, [&] { return make0(self, contiguous_clone(self), min, max); },
      [&] {
        check_no_internal_overlap(self);
        b = check_tensor_bounds(self, min, max);
        WT_CHECK(IntArrayRef(b.shape).equals(self.sizes()), "output with shape ", self.sizes(),
                 " doesn't match the broadcast shape ", IntArrayRef(b.shape));
        WT_CHECK(can_cast(b.type, self.dtype()), "result type ", torch_name(b.type),
                 " can't be cast to the desired output type ", torch_name(self.dtype()));
      },
      [&] { kernels::copy(self, clamp_tensor_values(self, min, max, b)); });
}

Tensor clamp(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max) {
  auto node = make(self, self, min, max);  // Note [The autograd layer checks before the kernel]
  const ScalarType type = clamp_type(self, min, max);
  if (!any_nan(min, max)) check_kernel(type, bool(min), bool(max));
  Tensor out = empty_elementwise(self.sizes(), type, {&self});
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
