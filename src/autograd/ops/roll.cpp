// roll: the elements shifted cyclically along each of dims (the flattened tensor when dims
// is empty). RollBackward0 rolls the gradient back by the negated shifts.

#include "ops/remap_dims.h"
#include "autograd/recording.h"

namespace webtorch {

namespace {
struct RollBackward0 : Node {
  std::string name() const override { return "RollBackward0"; }
  variable_list apply(variable_list&& grads) override {
    DimVector back;
    for (int64_t s : shifts_) back.push_back(-s);
    return {roll(grads[0], back, dims_)};
  }
  DimVector shifts_, dims_;
};

Tensor roll_values(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  WT_CHECK(!shifts.empty(), "`shifts` required");
  if (dims.empty() && shifts.size() == 1) {  // the flattened tensor, rolled, in self's shape
    const Tensor flat = contiguous_clone(self);
    const Tensor rolled = native::remap_dims(alias_with_geometry(flat, {flat.numel()}, {1}, 0),
                                             {native::rolled(flat.numel(), shifts[0])});
    return alias_with_geometry(rolled, self.sizes(), shape::contiguous_strides(self.sizes()), 0);
  }
  WT_CHECK(shifts.size() == dims.size(), "shifts and dimensions must align. shifts: ", shifts.size(),
           ", dims:", dims.size());
  if (self.numel() == 0) return contiguous_clone(self);
  DimVector total(size_t(self.dim()), 0);
  for (size_t i = 0; i < dims.size(); ++i) total[size_t(shape::wrap_dim(dims[i], self.dim(), false))] += shifts[i];
  std::vector<std::vector<int64_t>> maps;
  for (int64_t d = 0; d < self.dim(); ++d) maps.push_back(native::rolled(self.size(d), total[size_t(d)]));
  return native::remap_dims(self, maps);
}
}  // namespace

Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  auto node = autograd::make_node<RollBackward0>({&self});
  Tensor out = roll_values(self, shifts, dims);
  if (node) {
    node->shifts_.assign(shifts);
    node->dims_.assign(dims);
    autograd::set_history(out, node);
  }
  return out;
}

}  // namespace webtorch
