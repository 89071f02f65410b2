#pragma once
// SavedVariable: a tensor a node keeps for its backward, with the version it had.
//
// Note [Saved tensor checks]
// Unpacking compares the saved version with the tensor's current one and throws PyTorch's
// "one of the variables needed for gradient computation has been modified by an inplace
// operation" when they differ. Inference tensors have no version, so they cannot be saved
// at all. A node's own output is saved as an alias without autograd meta (sharing storage
// and version counter), so the node never owns the tensor that owns it.

#include <memory>
#include <string>

#include "autograd/node.h"
#include "core/tensor.h"

namespace webtorch {

class SavedVariable {
 public:
  SavedVariable() = default;
  SavedVariable(const Tensor& t, bool is_output);
  SavedVariable(SavedVariable&& o) noexcept;
  SavedVariable& operator=(SavedVariable&& o) noexcept;
  SavedVariable(const SavedVariable&) = delete;
  SavedVariable& operator=(const SavedVariable&) = delete;
  ~SavedVariable();

  // owner: the node unpacking, named in the error when the saved tensor is its output.
  Tensor unpack(const Node* owner) const;
  void reset_data();
  bool defined() const { return was_defined_; }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  int64_t accounted_bytes_ = 0;
  bool was_defined_ = false;
  bool is_output_ = false;
};

}  // namespace webtorch
