#pragma once
// masked_fill / masked_fill_ as torch 1.13's backward formulas of maximum/minimum and of
// max/min over all elements write them, with their nodes MaskedFillBackward0 (a number) and
// MaskedFillBackward1 (a 0-dim tensor value), masked_fill_formula.cpp. Internal: not in the
// op table.

#include "core/scalar.h"
#include "core/tensor.h"

namespace webtorch {

// self with value where mask holds (MaskedFillBackward0).
Tensor masked_fill_formula(const Tensor& self, const Tensor& mask, Scalar value);
// self.masked_fill_(mask, value) in place: MaskedFillBackward0 for a number, and
// MaskedFillBackward1 for a 0-dim tensor value (which gets the sum of the masked gradient).
void masked_fill_formula_(const Tensor& self, const Tensor& mask, Scalar value);
void masked_fill_formula_(const Tensor& self, const Tensor& mask, const Tensor& value);

}  // namespace webtorch
