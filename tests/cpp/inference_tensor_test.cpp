// Inference tensors in C++: the mode x tensor-kind x op-kind rules of the seed text, with
// PyTorch's messages (see also the generated scenarios in scenarios_test.cpp).

#include <gtest/gtest.h>

#include "autograd/engine.h"
#include "autograd/variable.h"
#include "core/error.h"
#include "core/grad_mode.h"
#include "core/inference_mode.h"
#include "autograd/ops/ops.h"

using namespace webtorch;

namespace {
const char* kInplace =
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
    "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
    "for more details.";

template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

Tensor make(bool inference, bool requires_grad) {
  Tensor t;
  if (inference) {
    InferenceMode g;
    t = ones({2, 3});
  } else {
    t = ones({2, 3});
  }
  autograd::requires_grad_at_creation(t, requires_grad);
  return t;
}
}  // namespace

TEST(InferenceTensor, AllocatedInsideIsInference) {
  Tensor outside = ones({2});
  Tensor inside;
  {
    InferenceMode g;
    inside = ones({2});
    EXPECT_TRUE(inside.is_inference());
    EXPECT_TRUE(mul(outside, 2.0).is_inference());   // new non-view tensors
    EXPECT_FALSE(view(outside, {2}).is_inference()); // a view of a normal tensor
    EXPECT_TRUE(view(inside, {2}).is_inference());   // a view of an inference tensor
    {
      InferenceMode off(false);
      EXPECT_FALSE(ones({1}).is_inference());
    }
    NoGradGuard ng;
    EXPECT_TRUE(ones({1}).is_inference());
  }
  EXPECT_FALSE(outside.is_inference());
  EXPECT_TRUE(inside.is_inference());
  EXPECT_FALSE(clone(inside).is_inference());  // clone outside gives a normal tensor
  EXPECT_TRUE(view(inside, {1, 2}).is_inference());
  EXPECT_TRUE(detach(inside).is_inference());
}

TEST(InferenceTensor, VersionCounterAbsent) {
  Tensor c = make(true, false);
  EXPECT_EQ(error_of([&] { c.version(); }), "Inference tensors do not track version counter.");
  {
    InferenceMode g;
    add_(c, 1.0);  // allowed, no bump (there is no counter)
    EXPECT_EQ(error_of([&] { c.version(); }), "Inference tensors do not track version counter.");
  }
  EXPECT_FLOAT_EQ(c.data<float>()[0], 2.0f);
}

TEST(InferenceTensor, ImmutableOutsideFailingBeforeWriting) {
  for (bool rg : {false, true}) {
    Tensor c = make(true, rg);
    EXPECT_EQ(error_of([&] { zero_(c); }), kInplace);
    EXPECT_EQ(error_of([&] { fill_(c, 3.0); }), kInplace);
    // A view of an inference tensor is an untracked inference tensor that does not require grad.
    EXPECT_EQ(error_of([&] { mul_(view(c, {6}), 2.0); }), kInplace);
    EXPECT_FLOAT_EQ(c.data<float>()[0], 1.0f);  // untouched, unlike torch 1.13
    EXPECT_EQ(error_of([&] { autograd::requires_grad_(c, true); }),
              "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  }
}

TEST(InferenceTensor, LeafErrorWinsWhenAutogradRuns) {
  // A wrapped Python number is a normal tensor, so autograd's leaf check runs first (torch 1.13).
  Tensor c = make(true, true);
  EXPECT_EQ(error_of([&] { add_(c, 1.0); }),
            "a leaf Variable that requires grad is being used in an in-place operation.");
}

TEST(InferenceTensor, RequiresGradInsideTheMode) {
  Tensor c = make(true, false);
  {
    InferenceMode g;
    autograd::requires_grad_(c, true);
  }
  EXPECT_TRUE(c.requires_grad());
  autograd::requires_grad_(c, false);
  EXPECT_FALSE(c.requires_grad());
}

TEST(InferenceTensor, CannotBeSavedForBackward) {
  Tensor c = make(true, false);
  Tensor a = make(false, true);
  const char* saved = "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.";
  EXPECT_EQ(error_of([&] { mul(a, c); }), saved);
  EXPECT_EQ(error_of([&] { matmul(a, transpose(c, 0, 1)); }), saved);
  EXPECT_EQ(error_of([&] { div(a, c); }), saved);
  Tensor s = add(a, c);  // add saves nothing
  EXPECT_EQ(autograd::grad_fn(s)->name(), "AddBackward0");
  Tensor m = mul(a, clone(c));  // the clone fix
  EXPECT_EQ(autograd::grad_fn(m)->name(), "MulBackward0");
  {
    InferenceMode g;  // inside the mode nothing is saved, so nothing fails
    EXPECT_FALSE(mul(a, c).requires_grad());
  }
}

TEST(InferenceTensor, OnlyInferenceInputsSkipAutograd) {
  Tensor c = make(true, true);
  EXPECT_FALSE(neg(c).requires_grad());
  EXPECT_FALSE(exp(c).requires_grad());
  EXPECT_FALSE(mul(c, c).requires_grad());
  EXPECT_TRUE(mul(c, 2.0).requires_grad());  // the wrapped number routes it through autograd
  EXPECT_FALSE(view(c, {6}).requires_grad());
  EXPECT_TRUE(clone(c).requires_grad());
}

TEST(InferenceTensor, NormalTensorsInsideTheMode) {
  Tensor a = make(false, true);
  Tensor k = mul(a, 1.0);
  {
    InferenceMode g;
    Tensor out = mul(k, 2.0);
    EXPECT_TRUE(out.is_inference());
    EXPECT_EQ(autograd::grad_fn(out), nullptr);
    mul_(k, 2.0);  // normal tensor: version bumps, no leaf check
    EXPECT_EQ(k.version(), 1u);
    add_(a, 1.0);  // even a leaf that requires grad may change inside the mode
    EXPECT_EQ(a.version(), 1u);
    Tensor v = view(k, {6});
    EXPECT_FALSE(v.is_inference());
    EXPECT_TRUE(autograd::is_view(v));
    EXPECT_TRUE(v.requires_grad());
    EXPECT_TRUE(autograd::is_leaf(v));
    EXPECT_EQ(v.version(), 1u);
  }
  EXPECT_EQ(autograd::grad_fn(k)->name(), "MulBackward0");
}

TEST(InferenceTensor, ViewCreatedInInferenceModeModifiedOutside) {
  Tensor a = make(false, true);
  Tensor k = mul(a, 1.0);
  Tensor v;
  {
    InferenceMode g;
    v = view(k, {6});
  }
  EXPECT_EQ(error_of([&] { mul_(v, 2.0); }),
            "A view was created in inference mode and is being modified inplace in normal mode. Given "
            "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code "
            "by moving both the view and the inplace either both inside the inference_mode block (if you "
            "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
}

TEST(InferenceTensor, BackwardThroughNormalTensorsAfterTheMode) {
  Tensor a = make(false, true);
  Tensor y = mul(a, 3.0);
  {
    InferenceMode g;
    Tensor unused = mul(y, 2.0);
  }
  autograd::backward({sum(y)});
  EXPECT_FLOAT_EQ(autograd::grad(a).data<float>()[0], 3.0f);
}
