// The SFU flags of vroom-server (--janus, --janus-secret[-file], --mesh-max): checked by
// parseOptions, off by default.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server_config.hpp"

namespace vroom::server {
namespace {

ParsedOptions parse(std::vector<std::string> args) {
  args.insert(args.begin(), "vroom-server");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return parseOptions(static_cast<int>(argv.size()), argv.data(), nullptr);
}

TEST(JanusFlags, AreCheckedAndOffByDefault) {
  const auto plain = parse({});
  ASSERT_TRUE(plain.config);
  EXPECT_FALSE(plain.config->sfu.enabled());
  EXPECT_EQ(plain.config->sfu.meshMax, 4u);

  struct Case {
    std::vector<std::string> args;
    bool ok;
    const char* error;
  };
  const Case cases[] = {
      {{"--janus", "ws://127.0.0.1:8188", "--janus-secret", "s"}, true, ""},
      {{"--janus", "ws://10.0.0.5:8188/janus", "--janus-secret", "s", "--mesh-max", "6"}, true, ""},
      {{"--janus", "ws://127.0.0.1:8188"}, false, "needs --janus-secret"},
      {{"--janus", "http://127.0.0.1:8088/janus", "--janus-secret", "s"}, false, "invalid --janus"},
      {{"--janus", "ws://127.0.0.1:99999", "--janus-secret", "s"}, false, "invalid --janus"},
      {{"--janus-secret", "s"}, false, "need --janus"},
      {{"--mesh-max", "3"}, false, "need --janus"},
      {{"--janus", "ws://127.0.0.1:8188", "--janus-secret", "s", "--mesh-max", "0"},
       false,
       "--mesh-max must be"},
      {{"--janus", "ws://127.0.0.1:8188", "--janus-secret", "s", "--mesh-max", "65"},
       false,
       "--mesh-max must be"},
      {{"--janus", "ws://127.0.0.1:8188", "--janus-secret", "s", "--janus-secret-file", "f"},
       false,
       "exclude each other"},
      {{"--janus", "ws://127.0.0.1:8188", "--janus-secret-file", "/nonexistent/secret"},
       false,
       "cannot read"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.front() + " ... " + c.args.back());
    const auto parsed = parse(c.args);
    EXPECT_EQ(parsed.config.has_value(), c.ok) << parsed.output;
    if (!c.ok) {
      EXPECT_NE(parsed.output.find(c.error), std::string::npos) << parsed.output;
    }
  }

  char path[] = "/tmp/vroom-janus-secret-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << "from-a-file \n";
  const auto fromFile =
      parse({"--janus", "ws://127.0.0.1:8188", "--janus-secret-file", path, "--mesh-max", "2"});
  std::remove(path);
  ASSERT_TRUE(fromFile.config) << fromFile.output;
  EXPECT_TRUE(fromFile.config->sfu.enabled());
  EXPECT_EQ(fromFile.config->sfu.janusUrl, "ws://127.0.0.1:8188");
  EXPECT_EQ(fromFile.config->sfu.janusSecret, "from-a-file");
  EXPECT_EQ(fromFile.config->sfu.meshMax, 2u);
}

}  // namespace
}  // namespace vroom::server
