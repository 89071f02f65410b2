// Note [Layers] (src/README.md): every `#include "folder/..."` in src/ points down the layer
// order core <- kernels <- ops <- autograd (io beside them, on core only), never up or across.
// A new folder under src/ fails here until it is given its place.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// For each folder of src/, the folders its files may include (itself included).
const std::map<std::string, std::set<std::string>>& allowed_includes() {
  static const std::map<std::string, std::set<std::string>> allowed = {
      {"core", {"core"}},
      {"kernels", {"core", "kernels"}},
      {"ops", {"core", "kernels", "ops"}},
      {"autograd", {"core", "kernels", "ops", "autograd"}},
      {"io", {"core", "io"}},
  };
  return allowed;
}

// "<folder>/file.h: includes <included>" for every include that breaks the order.
std::vector<std::string> violations_in(const fs::path& file, const std::string& folder) {
  static const std::regex include_line(R"(^\s*#\s*include\s*"([^"/]+)/[^"]*")");
  const auto& allowed = allowed_includes().at(folder);
  std::vector<std::string> found;
  std::ifstream in(file);
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, include_line) && !allowed.count(m[1].str()))
      found.push_back(file.string() + ": includes \"" + m[1].str() + "/...\" (" + line + ")");
  return found;
}

}  // namespace

TEST(Layers, IncludesPointDownTheLayerOrder) {
  const fs::path src = fs::path(WEBTORCH_SOURCE_DIR) / "src";
  ASSERT_TRUE(fs::is_directory(src)) << src;
  std::vector<std::string> violations;
  size_t files = 0;
  for (const auto& folder : fs::directory_iterator(src)) {
    if (!folder.is_directory()) continue;
    const std::string name = folder.path().filename().string();
    ASSERT_TRUE(allowed_includes().count(name))
        << "src/" << name << " has no place in the layer order (tests/cpp/layers_test.cpp, src/README.md)";
    for (const auto& entry : fs::recursive_directory_iterator(folder.path())) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp")) continue;
      ++files;
      for (auto& v : violations_in(entry.path(), name)) violations.push_back(v);
    }
  }
  EXPECT_GT(files, 50u);
  for (const auto& v : violations) ADD_FAILURE() << v;
}
