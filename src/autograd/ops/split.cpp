// split, split_with_sizes, chunk and unbind: views of self along a dim, all outputs of one
// node. SplitBackward0 / SplitWithSizesBackward0 concatenate the pieces' gradients (zeros
// for a piece that got none), UnbindBackward0 stacks them, so the result can be
// differentiated again (CatBackward0 / StackBackward0).
//
// Note [Multi-output views]
// As in PyTorch, a view made by an op with several view outputs is created with
// CreationMeta::MULTI_OUTPUT_NODE in grad mode (NO_GRAD_MODE / INFERENCE_MODE otherwise,
// propagated from a view base as every view's is): changing one in place while it requires
// grad raises "Output 0 of SplitBackward0 is a view and is being modified inplace. This view
// is the output of a function that returns multiple views. ..." (view_rebase_error), since
// one node cannot be rebased for one of its outputs.

#include "autograd/variable.h"
#include "autograd/view_tracking.h"
#include "autograd/recording.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"

namespace webtorch {

namespace {

// The gradients of the pieces, zeros where none arrived (PyTorch materializes them too).
variable_list defined_grads(const Node& node, variable_list grads) {
  grads.resize(node.num_inputs());
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined()) grads[i] = zeros(node.input_metadata()[i].sizes, node.input_metadata()[i].dtype);
  return grads;
}

struct SplitBackward : Node {
  explicit SplitBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override { return {cat(defined_grads(*this, std::move(grads)), dim_)}; }
  const char* name_;
  int64_t dim_ = 0;
};

struct UnbindBackward0 : Node {
  std::string name() const override { return "UnbindBackward0"; }
  variable_list apply(variable_list&& grads) override { return {stack(defined_grads(*this, std::move(grads)), dim_)}; }
  int64_t dim_ = 0;
};

void mark_multi_output(const Tensor& self, const Tensor& view) {
  AutogradMeta* m = autograd::get_autograd_meta(view);
  if (!m || !m->is_view_ || InferenceMode::is_enabled() || !GradMode::is_enabled()) return;
  const AutogradMeta* base = autograd::get_autograd_meta(self);
  const CreationMeta prev = base && base->is_view_ ? base->creation_meta_ : CreationMeta::DEFAULT;
  m->creation_meta_ = propagate_creation_meta(prev, CreationMeta::MULTI_OUTPUT_NODE);
}

// The pieces of self along dim d (already wrapped) of the given sizes, recorded by node.
template <class NodeT>
std::vector<Tensor> pieces(const Tensor& self, int64_t d, IntArrayRef sizes, std::shared_ptr<NodeT> node,
                           bool keep_dim) {
  std::vector<Tensor> out;
  int64_t start = 0;
  for (int64_t size : sizes) {
    DimVector shape(self.sizes()), strides(self.strides());
    shape[size_t(d)] = size;
    if (!keep_dim) {
      shape.erase(size_t(d));
      strides.erase(size_t(d));
    }
    Tensor view = autograd::make_view(self, shape, strides, self.storage_offset() + start * self.stride(d));
    mark_multi_output(self, view);
    out.push_back(view);
    start += size;
  }
  if (node) {
    node->dim_ = d;
    for (const Tensor& piece : out) autograd::set_history(piece, node);
  }
  return out;
}

std::vector<Tensor> split_into(const Tensor& self, int64_t d, IntArrayRef sizes, const char* name) {
  auto node = autograd::make_node<SplitBackward>({&self}, name);
  return pieces(self, d, sizes, node, true);
}

}  // namespace

std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) {
  autograd::collect_next_edges_first({&self});
  WT_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  WT_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size);
  const int64_t d = shape::wrap_dim(dim, self.dim());
  const int64_t size = self.size(d);
  WT_CHECK(split_size != 0 || size == 0, "split_size can only be 0 if dimension size is 0, but got dimension size of ",
           size);
  const int64_t n = split_size == 0 ? 1 : std::max<int64_t>((size + split_size - 1) / split_size, 1);
  std::vector<int64_t> sizes;
  for (int64_t i = 0; i < n; ++i) sizes.push_back(i + 1 < n ? split_size : size - split_size * (n - 1));
  return split_into(self, d, sizes, "SplitBackward0");
}

std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  autograd::collect_next_edges_first({&self});
  WT_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  const int64_t d = shape::wrap_dim(dim, self.dim());
  int64_t total = 0;
  for (int64_t s : split_sizes) {
    WT_CHECK(s >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=",
             split_sizes);
    total += s;
  }
  WT_CHECK(total == self.size(d), "split_with_sizes expects split_sizes to sum exactly to ", self.size(d),
           " (input tensor's size at dimension ", d, "), but got split_sizes=", split_sizes);
  return split_into(self, d, split_sizes, "SplitWithSizesBackward0");
}

std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) {
  WT_CHECK(self.dim() > 0, "chunk expects at least a 1-dimensional tensor");
  WT_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  const int64_t d = shape::wrap_dim(dim, self.dim());
  const int64_t size = self.size(d);
  const int64_t split_size = (size + chunks - 1) / chunks;
  // An empty dim gives `chunks` empty pieces (split would give one), as PyTorch.
  if (split_size == 0 && size == 0) return split_with_sizes(self, std::vector<int64_t>(size_t(chunks), 0), dim);
  return split(self, split_size, dim);
}

std::vector<Tensor> unbind(const Tensor& self, int64_t dim) {
  autograd::collect_next_edges_first({&self});
  const int64_t d = shape::wrap_dim(dim, self.dim(), false);
  auto node = autograd::make_node<UnbindBackward0>({&self});
  return pieces(self, d, std::vector<int64_t>(size_t(self.size(d)), 1), node, false);
}

}  // namespace webtorch
