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
// Note [Saved input described as an alias]
// PyTorch names a saved input by its grad_fn at unpack time. For an in-place op's input that
// aliases the target (saved without autograd meta, so that grad_fn cannot be asked later),
// the name is decided when saving, from what the alias will be after the in-place write:
// a view (the target itself or another) has its grad_fn regenerated as AsStridedBackward0;
// the target itself is output of the node; the target's base gets CopySlices; a detached
// alias has no node. (A later in-place op on the target renames it in PyTorch; not followed.)
// PyTorch asks that grad_fn before it compares versions: for a view that may not be rebased
// (made in no_grad or inference mode, or by a custom Function) asking raises the view +
// in-place error, so unpacking such an alias raises that text (view_error_).

#include <memory>
#include <utility>
#include <string>

#include "autograd/node.h"
#include "core/tensor.h"

namespace webtorch {

// PyTorch's ERR_BACKWARD_TWICE: a freed saved tensor, or a freed CopySlices.
extern const char* const kErrBackwardTwice;

class SavedVariable {
 public:
  SavedVariable() = default;
  SavedVariable(const Tensor& t, bool is_output);
  // The constructor's refusal alone, for an op that saves t in another form (a copy) or
  // where PyTorch saves it through an op webtorch does not run (Note [mv of inference
  // tensors records through addmv_]): an inference tensor cannot be saved.
  static void check_savable(const Tensor& t);
  // An in-place op's input, saved like an output when it shares storage with the target
  // (Note [Saving an in-place op's own input]), still described in the version error as
  // PyTorch describes a saved input (Note [Saved input described as an alias]).
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
  // Set by input_of_inplace for an input that shares storage with the target: how the error
  // names it ("" = no node, "owner" = the unpacking node).
  bool described_as_alias_ = false;
  std::string alias_fn_name_;
  std::string view_error_;  // Note [Saved input described as an alias]
};

}  // namespace webtorch
