// eq, lt, gt, le, ge: both operands are promoted to their common dtype (a Python number as a
// wrapped number), the result is bool and never part of the graph.

#include "ops/elementwise_layout.h"
#include "ops/op_utils.h"

namespace webtorch {

namespace {
Tensor compare(kernels::BinaryOp op, const Tensor& self, const Tensor& other) {
  const ScalarType common = result_type(self, other);
  Tensor out = empty_elementwise(shape::broadcast_shapes(self.sizes(), other.sizes()), ScalarType::Bool,
                                 {&self, &other}, common);
  kernels::binary(op, out, cast_to(self, common), cast_to(other, common));
  return out;
}
}  // namespace

Tensor eq(const Tensor& self, const Tensor& other) { return compare(kernels::BinaryOp::Eq, self, other); }
Tensor eq(const Tensor& self, Scalar other) { return eq(self, scalar_to_tensor(other)); }
Tensor lt(const Tensor& self, const Tensor& other) { return compare(kernels::BinaryOp::Lt, self, other); }
Tensor lt(const Tensor& self, Scalar other) { return lt(self, scalar_to_tensor(other)); }
Tensor gt(const Tensor& self, const Tensor& other) { return compare(kernels::BinaryOp::Gt, self, other); }
Tensor gt(const Tensor& self, Scalar other) { return gt(self, scalar_to_tensor(other)); }
Tensor le(const Tensor& self, const Tensor& other) { return compare(kernels::BinaryOp::Le, self, other); }
Tensor le(const Tensor& self, Scalar other) { return le(self, scalar_to_tensor(other)); }
Tensor ge(const Tensor& self, const Tensor& other) { return compare(kernels::BinaryOp::Ge, self, other); }
Tensor ge(const Tensor& self, Scalar other) { return ge(self, scalar_to_tensor(other)); }

}  // namespace webtorch
