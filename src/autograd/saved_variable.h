#pragma once
// SavedVariable: a tensor a node keeps for its backward, with the version it had.
//
// Note [Saved tensor checks]
// Unpacking compares the saved version with the tensor's current one and throws PyTorch's
// "one of the variables needed for gradient computation has been modified by an inplace
// operation" when they differ. Inference tensors have no version, so they cannot be saved
// at all. A node's own output is saved as an alias without autograd meta (sharing storage
// and version counter), so the node never owns the tensor that owns it.
//
// Note [Which node the version error names]
// As PyTorch's SavedVariable::unpack: a saved input (or leaf) is named by its grad_fn at
// unpack time, as "output 0" whatever its output_nr (PyTorch keeps no output_nr for it); a
// saved output by the node unpacking it; the result of an in-place op on a view by the
// view's grad_fn at saving time while that node lives (a weak reference), else by the node
// unpacking. A saved non-leaf whose grad_fn is gone is named by the node unpacking. An
// in-place op's input that aliases the target is saved without autograd meta and named
// through a TensorIdentity (Note [Weak tensor identity]), so it follows the tensor like any
// saved input.

#include <memory>
#include <utility>
#include <string>

#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "core/tensor.h"

namespace webtorch {

// PyTorch's ERR_BACKWARD_TWICE: a freed saved tensor, or a freed CopySlices.
extern const char* const kErrBackwardTwice;

class SavedVariable {
 public:
  SavedVariable() = default;
  // is_inplace_on_view: t is the result of an in-place op on a view (PyTorch's flag).
  SavedVariable(const Tensor& t, bool is_output, bool is_inplace_on_view = false);
  // The constructor's refusal alone, for an op that saves t in another form (a copy) or
  // where PyTorch saves it through an op webtorch does not run (Note [mv of inference
  // tensors records through addmv_]): an inference tensor cannot be saved.
  static void check_savable(const Tensor& t);
  // An in-place op's input, saved without autograd meta when it shares storage with the
  // target (Note [Saving an in-place op's own input]), still named in the version error as
  // PyTorch names a saved input (Note [Which node the version error names]).
  static SavedVariable input_of_inplace(const Tensor& input, const Tensor& target);
  SavedVariable(SavedVariable&& o) noexcept;
  SavedVariable& operator=(SavedVariable&& o) noexcept;
  SavedVariable(const SavedVariable&) = delete;
  SavedVariable& operator=(const SavedVariable&) = delete;
  ~SavedVariable();

  // owner: the node unpacking, named in the error when the saved tensor is its output.
  Tensor unpack(const Node* owner) const;
  // For a node with two saved operands: PyTorch's generated code unpacks the first (self)
  // before the second, so when both were modified in place the error names the first.
  // An operand that is not needed (need_* false) stays undefined.
  static std::pair<Tensor, Tensor> unpack_in_order(const Node* owner, const SavedVariable& first,
                                                   bool need_first, const SavedVariable& second,
                                                   bool need_second) {
    Tensor a = need_first ? first.unpack(owner) : Tensor();
    Tensor b = need_second ? second.unpack(owner) : Tensor();
    return {a, b};
  }
  void reset_data();
  bool defined() const { return was_defined_; }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  int64_t accounted_bytes_ = 0;
  bool was_defined_ = false;
  bool is_output_ = false;
  bool is_leaf_ = false;  // at saving time
  bool is_inplace_on_view_ = false;
  std::weak_ptr<Node> weak_grad_fn_;  // with is_inplace_on_view_: the view's grad_fn then
  // Set by input_of_inplace for an input aliasing the target: the tensor data_ stands for.
  std::shared_ptr<TensorIdentity> original_;

  // The node named by the version error, or its name when only that is left ("" = none).
  std::string node_name_for_error(const Node* owner) const;
};

}  // namespace webtorch
