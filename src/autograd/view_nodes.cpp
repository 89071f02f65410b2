#include "autograd/view_nodes.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "autograd/saved_variable.h"
#include "autograd/variable.h"
#include "autograd/function.h"
#include "autograd/view_tracking.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "kernels/binary.h"
#include "kernels/copy.h"
#include "ops/op_utils.h"
#include "autograd/ops/ops.h"

namespace webtorch {

namespace {
// A zero-filled dense tensor laid out like geometry g (non-view tensors are always dense).
Tensor zeros_like_geometry(const TensorGeometry& g, ScalarType dtype) {
  Tensor t = empty_strided(g.sizes, g.strides, dtype);
  kernels::fill(t, 0.0);
  return t;
}

// PyTorch's _maybe_overlapping_memory: by increasing stride, some dim's stride does not clear
// the extent of the smaller ones (size-1 dims skipped), so two elements may share memory.
bool maybe_overlapping(const TensorGeometry& g) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size)
  for (size_t i = 0; i < g.sizes.size(); ++i)
    if (g.sizes[i] != 1) dims.emplace_back(g.strides[i], g.sizes[i]);
  std::sort(dims.begin(), dims.end());
  int64_t max_index = 0;
  for (const auto& [stride, size] : dims) {
    if (stride <= max_index) return true;
    max_index += stride * (size - 1);
  }
  return false;
}

// A flat view of every memory element t's geometry spans (strides are never negative).
Tensor storage_span(const Tensor& t) {
  int64_t extent = 1;
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (t.size(d) == 0) return alias_with_geometry(t, {0}, {1}, t.storage_offset());
    extent += (t.size(d) - 1) * t.stride(d);
  }
  return alias_with_geometry(t, {extent}, {1}, t.storage_offset());
}

// t.as_strided(geometry) as a recorded view (AsStridedBackward0), for the recorded formulas of
// Note [CopySlices under createGraph].
Tensor recorded_as_strided(const Tensor& t, const TensorGeometry& g, int64_t storage_offset) {
  Tensor view = autograd::make_view(t, g.sizes, g.strides, storage_offset);
  if (auto node = autograd::make_node<AsStridedBackward0>({&t}, t, view)) autograd::set_history(view, node);
  return view;
}
}  // namespace

variable_list AsStridedBackward0::apply(variable_list&& grads) {
  const Tensor& grad = grads[0];
  // Recorded under createGraph (Note [CopySlices under createGraph]) where no memory is shared
  // between elements; an overlapping base or view takes the kernel path below.
  if (GradMode::is_enabled() && !maybe_overlapping(base_) && !maybe_overlapping(view_)) {
    Tensor result = zeros_like_geometry(base_, grad.dtype());
    copy_(recorded_as_strided(result, view_, result.storage_offset() + view_.storage_offset - base_.storage_offset), grad);
    return {recorded_as_strided(result, base_, result.storage_offset())};
  }
  Tensor result = zeros_like_geometry(base_, grad.dtype());
  Tensor slice = alias_with_geometry(result, view_.sizes, view_.strides,
                                     result.storage_offset() + view_.storage_offset - base_.storage_offset);
  kernels::accumulate_into(slice, grad);
  // Note [as_strided_backward of an overlapping base]
  // When the base's own elements share memory (an expanded base), PyTorch divides each memory
  // element's gradient by the number of base elements that read it, so the gradient of
  // x.expand(...) seen through the base sums back to x's gradient once, not once per copy.
  if (maybe_overlapping(base_)) {
    Tensor count = zeros_like_geometry(base_, grad.dtype());
    kernels::accumulate_into(count, ones(base_.sizes, grad.dtype()));
    const Tensor flat = storage_span(result);
    kernels::binary(kernels::BinaryOp::Div, flat, flat, storage_span(count));
  }
  // PyTorch's as_strided_backward returns `storage.as_strided(input geometry)`: a view
  // (tracked, as views made during backward are), so autograd.grad may return one.
  return {autograd::make_view(result, base_.sizes, base_.strides, result.storage_offset())};
}

CopySlices::CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn)
    : base_(base), view_(view), fn_(std::move(fn)) {
  WT_CHECK(fn_->external_function_id() < 0,
           "in-place modification of a view by a custom autograd.Function is not supported");
  std::vector<Edge> edges;
  edges.push_back(autograd::gradient_edge(base));
  for (size_t i = 1; i < fn_->next_edges().size(); ++i) edges.push_back(fn_->next_edges()[i]);
  set_next_edges(std::move(edges));
}

// Note [CopySlices under createGraph]
// With grad mode on in backward (createGraph), CopySlices records its own formula as PyTorch's
// does, so the gradient can be differentiated again: result = empty like the base, copy_(grad)
// (CopyBackwards), the view's slice of it as an as_strided view (AsStridedBackward0), the
// wrapped op's backward on a clone of the slice, and copy_ of that into the slice (an in-place
// op on a view: result's grad_fn becomes CopySlices). AsStridedBackward0 (the grad_fn of a view
// whose base was changed in place) likewise records zeros, copy_ into the view's slice, and the
// as_strided view of the result. Without grad mode the same values come from the kernels
// directly, with no nodes to build.
variable_list CopySlices::apply_recorded(const Tensor& grad) {
  Tensor result = empty_strided(base_.sizes, base_.strides, grad.dtype());
  copy_(result, grad);
  Tensor slice = recorded_as_strided(result, view_, result.storage_offset() + view_.storage_offset - base_.storage_offset);
  variable_list res = fn_->apply({clone(slice)});
  check_no_internal_overlap(slice);
  if (res[0].defined()) {
    copy_(slice, res[0]);
  } else {
    fill_(slice, Scalar(0.0));
  }
  variable_list out(num_outputs());
  out[0] = result;
  for (size_t i = 1; i < res.size() && i < out.size(); ++i) out[i] = res[i];
  return out;
}

variable_list CopySlices::apply(variable_list&& grads) {
  const Tensor& grad = grads[0];
  WT_CHECK(fn_, kErrBackwardTwice);
  if (GradMode::is_enabled()) return apply_recorded(grad);
  Tensor result = empty_strided(base_.sizes, base_.strides, grad.dtype());
  kernels::copy(result, grad);
  Tensor slice = alias_with_geometry(result, view_.sizes, view_.strides,
                                     result.storage_offset() + view_.storage_offset - base_.storage_offset);
  variable_list res = fn_->apply({contiguous_clone(slice)});
  variable_list out(num_outputs());
  // PyTorch writes the result into the slice with copy_, which refuses a slice whose
  // elements share memory (an in-place op through an expanded view): the same error here.
  check_no_internal_overlap(slice);
  if (res[0].defined()) {
    kernels::copy(slice, res[0]);
  } else {
    kernels::fill(slice, 0.0);
  }
  out[0] = result;
  for (size_t i = 1; i < res.size() && i < out.size(); ++i) out[i] = res[i];
  return out;
}

}  // namespace webtorch
