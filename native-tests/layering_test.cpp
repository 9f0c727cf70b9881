// Guards the layering of docs/architecture.md: the portable core (wasm/) and the UI (ui/)
// must build natively, so neither may include an Emscripten header.
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace {

std::vector<std::string> emscriptenIncludesUnder(const fs::path& dir) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"](emscripten[/.]|emscripten>))");
  std::vector<std::string> offenders;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".cc") continue;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (std::regex_search(line, kInclude))
        offenders.push_back(entry.path().string() + ":" + std::to_string(number) + ": " + line);
    }
  }
  return offenders;
}

}  // namespace

TEST(Layering, CoreAndUiIncludeNoEmscriptenHeader) {
  for (const char* layer : {"wasm", "ui"}) {
    const fs::path dir = fs::path(VROOM_SOURCE_DIR) / layer;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    const auto offenders = emscriptenIncludesUnder(dir);
    EXPECT_TRUE(offenders.empty()) << "Emscripten headers in " << layer << ":\n"
                                   << ::testing::PrintToString(offenders);
  }
}

TEST(Layering, DetectorSeesAnEmscriptenInclude) {
  // The guard above must be able to fail: feed it a file that does include one.
  const fs::path dir = fs::temp_directory_path() / "vroom_layering_probe";
  fs::create_directories(dir);
  std::ofstream(dir / "probe.cpp") << "// probe\n#include <emscripten/bind.h>\n";
  const auto offenders = emscriptenIncludesUnder(dir);
  fs::remove_all(dir);
  EXPECT_EQ(offenders.size(), 1u);
}
