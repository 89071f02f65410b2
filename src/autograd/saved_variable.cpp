#include "autograd/saved_variable.h"

#include "autograd/variable.h"
#include "core/anomaly_mode.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/memory_stats.h"

namespace webtorch {

const char* const kErrBackwardTwice =
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.";

namespace {
const char* legacy_type_name(ScalarType t) {
  switch (t) {
    case ScalarType::Int32:
      return "torch.IntTensor";
    case ScalarType::Bool:
      return "CPUBoolType";  // torch has no legacy tensor type name for bool
    case ScalarType::Float32:
    default:
      return "torch.FloatTensor";
  }
}
}  // namespace

void SavedVariable::check_savable(const Tensor& t) {
  WT_CHECK(!t.defined() || !t.is_inference(),
           "Inference tensors cannot be saved for backward. To work around you can make a clone "
           "to get a normal tensor and use it in autograd.");
}

SavedVariable::SavedVariable(const Tensor& t, bool is_output, bool is_inplace_on_view) {
  if (!t.defined()) return;
  check_savable(t);
  was_defined_ = true;
  is_output_ = is_output;
  is_leaf_ = autograd::is_leaf(t);
  is_inplace_on_view_ = is_inplace_on_view;
  if (is_inplace_on_view) weak_grad_fn_ = autograd::grad_fn(t);
  saved_version_ = t.impl()->version_counter().current_version();
  output_nr_ = autograd::output_nr(t);
  data_ = is_output && !is_leaf_ ? autograd::detach(t) : t;
  accounted_bytes_ = int64_t(t.impl()->nbytes());
  memory_stats().saved_bytes += accounted_bytes_;
}

SavedVariable SavedVariable::input_of_inplace(const Tensor& input, const Tensor& target) {
  SavedVariable v(input, false);
  const bool aliases = v.was_defined_ && target.defined() &&
                       input.impl()->storage() == target.impl()->storage();
  if (aliases) {
    v.data_ = autograd::detach(input);
    v.original_ = autograd::identity(input);
  }
  return v;
}

SavedVariable::SavedVariable(SavedVariable&& o) noexcept
    : data_(std::move(o.data_)),
      saved_version_(o.saved_version_),
      output_nr_(o.output_nr_),
      accounted_bytes_(o.accounted_bytes_),
      was_defined_(o.was_defined_),
      is_output_(o.is_output_),
      is_leaf_(o.is_leaf_),
      is_inplace_on_view_(o.is_inplace_on_view_),
      weak_grad_fn_(std::move(o.weak_grad_fn_)),
      original_(std::move(o.original_)) {
  o.accounted_bytes_ = 0;
}

SavedVariable& SavedVariable::operator=(SavedVariable&& o) noexcept {
  if (this != &o) {
    reset_data();
    data_ = std::move(o.data_);
    saved_version_ = o.saved_version_;
    output_nr_ = o.output_nr_;
    accounted_bytes_ = o.accounted_bytes_;
    was_defined_ = o.was_defined_;
    is_output_ = o.is_output_;
    is_leaf_ = o.is_leaf_;
    is_inplace_on_view_ = o.is_inplace_on_view_;
    weak_grad_fn_ = std::move(o.weak_grad_fn_);
    original_ = std::move(o.original_);
    o.accounted_bytes_ = 0;
  }
  return *this;
}

SavedVariable::~SavedVariable() { reset_data(); }

void SavedVariable::reset_data() {
  data_ = Tensor();
  memory_stats().saved_bytes -= accounted_bytes_;
  accounted_bytes_ = 0;
}

Tensor SavedVariable::unpack(const Node* owner) const {
  if (!was_defined_) return Tensor();
  WT_CHECK(data_.defined(), kErrBackwardTwice);
  const uint32_t current = data_.impl()->version_counter().current_version();
  if (current != saved_version_) {
    std::string msg = str("one of the variables needed for gradient computation has been modified "
                          "by an inplace operation: [",
                          legacy_type_name(data_.dtype()), " ", data_.sizes(), "]");
    std::string fn_name = node_name_for_error(owner);
    // A saved input keeps no output_nr in PyTorch: it is named as output 0.
    const bool kept_output_nr = is_inplace_on_view_ || (is_output_ && !is_leaf_);
    const uint32_t nr = kept_output_nr ? output_nr_ : 0;
    // PyTorch names its hand-written nodes here by their C++ type, not their Python name.
    if (fn_name == "CopyBackwards" || fn_name == "CopySlices") fn_name = "torch::autograd::" + fn_name;
    if (!fn_name.empty()) msg += str(", which is output ", nr, " of ", fn_name, ",");
    msg += str(" is at version ", current, "; expected version ", saved_version_, " instead. ");
    // In anomaly mode the engine appends the forward stack of the failing node.
    msg += AnomalyMode::is_enabled()
               ? "Hint: the backtrace further above shows the operation that failed to compute its "
                 "gradient. The variable in question was changed in there or anywhere later. Good luck!"
               : "Hint: enable anomaly detection to find the operation that failed to compute its "
                 "gradient, with torch.autograd.set_detect_anomaly(True).";
    throw_error(msg);
  }
  // A saved output comes back as an output of its node when the unpacking is recorded
  // (create_graph), so the gradient flows through it again (torch's unpack rebuilds it the
  // same way). Otherwise the detached data is enough.
  if (is_output_ && owner && GradMode::is_enabled() && !autograd::get_autograd_meta(data_)) {
    Tensor out = autograd::detach(data_);
    AutogradMeta* m = autograd::materialize_autograd_meta(out);
    m->grad_fn_ = const_cast<Node*>(owner)->shared_from_this();
    m->output_nr_ = output_nr_;
    return out;
  }
  return data_;
}

std::string SavedVariable::node_name_for_error(const Node* owner) const {
  std::shared_ptr<Node> fn;
  std::string freed_name;  // the grad_fn name of an aliased input that was freed
  if (is_inplace_on_view_) {
    fn = weak_grad_fn_.lock();
  } else if (is_output_ && !is_leaf_) {
    fn = nullptr;  // PyTorch keeps no grad_fn for its own output (it would be a cycle)
  } else if (original_ && original_->impl) {
    fn = autograd::grad_fn(Tensor(IntrusivePtr<TensorImpl>(original_->impl)));
  } else if (original_) {
    freed_name = original_->grad_fn_name;
  } else {
    fn = autograd::grad_fn(data_);
  }
  if (fn) return fn->name();
  if (!freed_name.empty()) return freed_name;
  return !is_leaf_ && owner ? owner->name() : "";
}

}  // namespace webtorch
