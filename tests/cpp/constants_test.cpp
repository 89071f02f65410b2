// The constants shared with JavaScript (Note [Constants shared with C++] in js/constants.mjs)
// reach C++ through the generated webtorch_constants.h, and an unknown dtype is an Error
// everywhere, never a silent float.

#include <gtest/gtest.h>

#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "io/safetensors.h"

namespace webtorch {
namespace {

std::string error_of(void (*fn)()) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Constants, DtypesInEngineOrder) {
  ASSERT_EQ(kNumScalarTypes, 3);
  EXPECT_STREQ(name(ScalarType::Float32), "float32");
  EXPECT_STREQ(name(ScalarType::Int32), "int32");
  EXPECT_STREQ(torch_name(ScalarType::Bool), "Bool");
  EXPECT_EQ(itemsize(ScalarType::Bool), 1u);
}

TEST(Constants, UnknownDtypeIndexIsAnError) {
  EXPECT_EQ(scalar_type_from_index(1), ScalarType::Int32);
  EXPECT_EQ(error_of([] { scalar_type_from_index(3); }), "unknown dtype index 3");
  EXPECT_EQ(error_of([] { scalar_type_from_index(-1); }), "unknown dtype index -1");
}

TEST(Constants, DispatchOnAnUnknownDtypeThrowsInsteadOfUsingFloat) {
  EXPECT_EQ(error_of([] { dispatch_dtype(ScalarType(7), [](auto tag) { return sizeof(tag); }); }),
            "unknown dtype index 7");
}

TEST(Constants, SafetensorsDtypesInTheReferenceOrder) {
  EXPECT_STREQ(safetensors::dtype_name(safetensors::DType::BOOL), "BOOL");
  EXPECT_STREQ(safetensors::dtype_name(safetensors::DType::F32), "F32");
  EXPECT_LT(int(safetensors::DType::I32), int(safetensors::DType::F32));
  EXPECT_EQ(safetensors::load_type(safetensors::DType::F64), ScalarType::Float32);
  EXPECT_EQ(safetensors::dtype_size(safetensors::DType::BF16), 2u);
}

}  // namespace
}  // namespace webtorch
