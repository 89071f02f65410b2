// torch.rand / torch.randn reproduce PyTorch 1.13's CPU streams bit for bit (Note
// [Reproducing torch.rand and torch.randn]): every value the random/ scenarios of ops.json
// inspect must be exactly torch's float32 value, not merely within the fixture tolerance.

#include <gtest/gtest.h>

#include <cmath>

#include "core/generator.h"
#include "autograd/ops/ops.h"
#include "scenario_runner.h"

namespace webtorch_test {
namespace {

TEST(Random, ScenariosMatchTorchExactly) {
  const json fixture = load_fixture("ops.json");
  int checked = 0;
  for (const json& sc : fixture["scenarios"]) {
    const std::string name = sc["name"];
    if (name.rfind("random/", 0) != 0) continue;
    const json actual = run_scenario(sc);
    for (size_t i = 0; i < sc["steps"].size(); ++i) {
      const json& expect = sc["expect"][i];
      if (sc["steps"][i]["do"] != "inspect" || !expect.contains("values")) continue;
      const json& want = expect["values"];
      const json& got = actual[i]["values"];
      ASSERT_EQ(got.size(), want.size()) << name << " step " << i;
      for (size_t k = 0; k < want.size(); ++k) {
        if (!want[k].is_number_float()) continue;
        EXPECT_EQ(float(got[k].get<double>()), float(want[k].get<double>()))
            << name << " step " << i << " value " << k;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1500);
}

TEST(Random, DefaultSeedAndReseed) {
  using namespace webtorch;
  // PyTorch's default seed before any manual_seed.
  CPUGenerator fresh;
  EXPECT_EQ(fresh.current_seed(), 67280421310721ULL);
  manual_seed(0);
  Tensor a = rand({5});
  manual_seed(0);
  Tensor b = rand({5});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.data<float>()[i], b.data<float>()[i]);
  EXPECT_FLOAT_EQ(a.data<float>()[0], 0.49625658988952637f);  // torch.manual_seed(0); torch.rand(1)
}

}  // namespace
}  // namespace webtorch_test
