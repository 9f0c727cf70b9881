// Guards the whole include table of docs/architecture.md ("Layers and what may include
// what"): every #include of every layer is classified (a vroom layer, or a library) and
// checked against what that layer may include; probes prove each rule can fail.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace {

// What an include is: one of vroom's layers or one of the libraries of the table.
enum class Part {
  Protocol,  // wasm/: the protocol library (vroom_protocol)
  Core,      // wasm/: the rest of the client core
  Ui,
  Bridge,
  Server,
  Tests,  // native-tests/, bench/
  Std,    // the C++ standard library
  Json,   // nlohmann/json
  ImGui,
  Emscripten,
  Gl,  // GLES3, GL, EGL
  Boost,
  OpenSsl,
  Utf8proc,
  Platform,  // POSIX and other system headers
  TestLibs,  // GoogleTest, Google Benchmark
  Unknown,   // a quoted include that names no file of the tree
};

const char* name(Part part) {
  static const std::map<Part, const char*> kNames{{Part::Protocol, "wasm/ protocol"},
                                                  {Part::Core, "wasm/ core"},
                                                  {Part::Ui, "ui/"},
                                                  {Part::Bridge, "bridge/"},
                                                  {Part::Server, "server/"},
                                                  {Part::Tests, "tests"},
                                                  {Part::Std, "std"},
                                                  {Part::Json, "nlohmann/json"},
                                                  {Part::ImGui, "ImGui"},
                                                  {Part::Emscripten, "Emscripten"},
                                                  {Part::Gl, "GL"},
                                                  {Part::Boost, "Boost"},
                                                  {Part::OpenSsl, "OpenSSL"},
                                                  {Part::Utf8proc, "utf8proc"},
                                                  {Part::Platform, "platform"},
                                                  {Part::TestLibs, "test libraries"},
                                                  {Part::Unknown, "unknown file"}};
  return kNames.at(part);
}

// The files of wasm/ that make the protocol library (wasm/CMakeLists.txt, vroom_protocol).
bool isProtocolFile(const std::string& file) {
  static const std::set<std::string> kFiles{
      "protocol.hpp",      "protocol.cpp", "protocol_decode.cpp", "protocol_scan.hpp",
      "protocol_scan.cpp", "result.hpp",   "enum_names.hpp"};
  return kFiles.count(file) > 0;
}

// The table of docs/architecture.md: what each layer may include (its own files included).
const std::map<Part, std::set<Part>>& allowed() {
  using P = Part;
  static const std::map<Part, std::set<Part>> kTable{
      {P::Protocol, {P::Protocol, P::Std, P::Json}},
      {P::Core, {P::Protocol, P::Core, P::Std, P::Json}},
      {P::Ui, {P::Protocol, P::Core, P::Ui, P::Std, P::ImGui}},
      {P::Bridge,
       {P::Protocol, P::Core, P::Ui, P::Bridge, P::Std, P::Json, P::ImGui, P::Emscripten, P::Gl}},
      {P::Server,
       {P::Protocol, P::Server, P::Std, P::Json, P::Boost, P::OpenSsl, P::Utf8proc, P::Platform}},
      {P::Tests,
       {P::Protocol, P::Core, P::Ui, P::Server, P::Tests, P::Std, P::Json, P::ImGui, P::Boost,
        P::OpenSsl, P::Utf8proc, P::Platform, P::TestLibs}},
  };
  return kTable;
}

bool isSource(const fs::path& path) {
  const auto ext = path.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc";
}

Part layerOf(const fs::path& root, const fs::path& file) {
  const auto top = fs::relative(file, root).begin()->string();
  if (top == "wasm") return isProtocolFile(file.filename().string()) ? Part::Protocol : Part::Core;
  if (top == "ui") return Part::Ui;
  if (top == "bridge") return Part::Bridge;
  if (top == "server") return Part::Server;
  return Part::Tests;
}

Part classifyAngle(const std::string& header) {
  auto starts = [&](const char* prefix) { return header.rfind(prefix, 0) == 0; };
  if (starts("emscripten")) return Part::Emscripten;
  if (starts("imgui") || starts("imstb_")) return Part::ImGui;
  if (starts("GLES") || starts("GL/") || starts("EGL/")) return Part::Gl;
  if (starts("boost/")) return Part::Boost;
  if (starts("openssl/")) return Part::OpenSsl;
  if (header == "utf8proc.h") return Part::Utf8proc;
  if (starts("nlohmann/")) return Part::Json;
  if (starts("gtest/") || starts("gmock/") || starts("benchmark/")) return Part::TestLibs;
  if (header.find('.') == std::string::npos && header.find('/') == std::string::npos)
    return Part::Std;  // <vector>, <cstdio>: the standard library has no extensions
  return Part::Platform;
}

// A quoted include is looked up beside the file, then in each layer (the include paths the
// build gives: a layer's folder and those of the libraries it links).
Part classifyQuoted(const fs::path& root, const fs::path& file, const std::string& header) {
  if (fs::exists(file.parent_path() / header)) return layerOf(root, file.parent_path() / header);
  for (const char* dir : {"wasm", "ui", "bridge", "server"})
    if (fs::exists(root / dir / header)) return layerOf(root, root / dir / header);
  return Part::Unknown;
}

std::vector<fs::path> sourcesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && isSource(entry.path())) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Every include under `root` (the top-level folders of the table) that its layer may not
// have, as "file:line: #include ... (layer may not include part)".
std::vector<std::string> violations(const fs::path& root) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<std::string> found;
  for (const char* top : {"wasm", "ui", "bridge", "server", "native-tests", "bench"}) {
    for (const fs::path& file : sourcesUnder(root / top)) {
      const Part layer = layerOf(root, file);
      std::ifstream in(file);
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        std::smatch m;
        if (!std::regex_search(line, m, kInclude)) continue;
        const Part part = m[1] == "<" ? classifyAngle(m[2]) : classifyQuoted(root, file, m[2]);
        // Tests may include test helpers the checker cannot place (generated, or by path).
        if (layer == Part::Tests && part == Part::Unknown) continue;
        if (allowed().at(layer).count(part)) continue;
        found.push_back(fs::relative(file, root).string() + ":" + std::to_string(number) + ": " +
                        line + "  (" + name(layer) + " may not include " + name(part) + ")");
      }
    }
  }
  return found;
}

// A throwaway tree for the probes.
class Probe {
 public:
  Probe()
      : root_(fs::temp_directory_path() / ("vroom_layering_probe_" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
  }
  ~Probe() { fs::remove_all(root_); }
  Probe& file(const std::string& path, const std::string& text) {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << "// probe\n" << text << "\n";
    return *this;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

}  // namespace

TEST(Layering, EveryIncludeFollowsTheTable) {
  const fs::path root(VROOM_SOURCE_DIR);
  for (const char* layer : {"wasm", "ui", "bridge", "server", "native-tests", "bench"})
    ASSERT_TRUE(fs::is_directory(root / layer)) << layer;
  const auto found = violations(root);
  EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
}

TEST(Layering, AllowedIncludesPass) {
  Probe probe;
  probe.file("wasm/result.hpp", "#include <variant>")
      .file("wasm/protocol.hpp", "#include \"result.hpp\"\n#include <nlohmann/json.hpp>")
      .file("wasm/room_session.hpp", "#include \"protocol.hpp\"")
      .file("ui/overlay.hpp", "#include \"room_session.hpp\"\n#include <imgui.h>")
      .file("bridge/web_app.cpp",
            "#include \"overlay.hpp\"\n#include <emscripten/val.h>\n#include <GLES3/gl3.h>")
      .file("server/room_registry.cpp",
            "#include \"protocol.hpp\"\n#include <boost/asio/post.hpp>\n#include <unistd.h>")
      .file("native-tests/server/x_test.cpp",
            "#include \"room_registry.cpp\"\n#include <gtest/gtest.h>");
  EXPECT_TRUE(violations(probe.root()).empty())
      << ::testing::PrintToString(violations(probe.root()));
}

// Each rule of the table can fail: one probe file breaks one rule.
TEST(Layering, EachRuleCanFail) {
  struct Case {
    const char* file;
    const char* text;
    const char* expected;  // part of the report
  };
  const Case cases[] = {
      {"wasm/session.cpp", "#include <emscripten/val.h>", "wasm/ core may not include Emscripten"},
      {"wasm/session.cpp", "#include <imgui.h>", "wasm/ core may not include ImGui"},
      {"wasm/session.cpp", "#include <boost/asio/post.hpp>", "wasm/ core may not include Boost"},
      {"wasm/session.cpp", "#include <unistd.h>", "wasm/ core may not include platform"},
      {"wasm/session.cpp", "#include \"overlay.hpp\"", "wasm/ core may not include ui/"},
      {"wasm/protocol.cpp", "#include \"room_session.hpp\"",
       "wasm/ protocol may not include wasm/ core"},
      {"ui/overlay.cpp", "#include <emscripten/val.h>", "ui/ may not include Emscripten"},
      {"ui/overlay.cpp", "#include <GLES3/gl3.h>", "ui/ may not include GL"},
      {"ui/overlay.cpp", "#include <boost/asio/post.hpp>", "ui/ may not include Boost"},
      {"ui/overlay.cpp", "#include \"web_app.hpp\"", "ui/ may not include bridge/"},
      {"bridge/web_app.cpp", "#include <boost/asio/post.hpp>", "bridge/ may not include Boost"},
      {"server/server.cpp", "#include \"room_session.hpp\"", "server/ may not include wasm/ core"},
      {"server/server.cpp", "#include <imgui.h>", "server/ may not include ImGui"},
      {"server/server.cpp", "#include <emscripten/val.h>", "server/ may not include Emscripten"},
      {"server/server.cpp", "#include \"overlay.hpp\"", "server/ may not include ui/"},
      {"native-tests/x_test.cpp", "#include <emscripten/val.h>",
       "tests may not include Emscripten"},
      {"bench/x.cpp", "#include \"web_app.hpp\"", "tests may not include bridge/"},
  };
  for (const Case& c : cases) {
    Probe probe;
    probe.file("wasm/room_session.hpp", "").file("wasm/protocol.hpp", "");
    probe.file("ui/overlay.hpp", "").file("bridge/web_app.hpp", "");
    probe.file(c.file, c.text);
    const auto found = violations(probe.root());
    ASSERT_EQ(found.size(), 1u) << c.file << " " << c.text << "\n"
                                << ::testing::PrintToString(found);
    EXPECT_NE(found[0].find(c.expected), std::string::npos) << found[0];
  }
}
