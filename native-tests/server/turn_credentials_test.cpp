// TURN REST credentials: the password coturn recomputes, URL checks, the command-line flags,
// and the registry handing minted credentials out in `welcome` and renewing them.
#include "turn_credentials.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "registry_harness.hpp"
#include "server_config.hpp"

namespace vroom::server {
namespace {

using testing::Harness;
using testing::json;

TEST(TurnCredentials, PasswordIsBase64HmacSha1OfTheUsername) {
  // The published HMAC-SHA1 test vector (de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9), in base64.
  EXPECT_EQ(turnPassword("key", "The quick brown fox jumps over the lazy dog"),
            "3nybhbi3iqa8ino29wqQcBydtNk=");
  EXPECT_EQ(turnPassword("north-secret", "1700003600:peer-1"), "G+v6lC8wccHUoTO5ye78EHwV+UM=");
  EXPECT_EQ(turnPassword("", "1:x"), "wBVqeCkzFfbJeptoGEftON2+Q7I=");
}

TEST(TurnCredentials, UsernameIsExpiryThenPeerId) {
  TurnConfig config{
      "north-secret", {"turn:127.0.0.1:3478", "turns:t.example:5349"}, std::chrono::seconds(3600)};
  const auto server = mintTurnCredentials(config, "peer-1", 1'700'000'000'999);
  EXPECT_EQ(server.urls, config.urls);
  EXPECT_EQ(server.username, "1700003600:peer-1");
  EXPECT_EQ(server.credential, "G+v6lC8wccHUoTO5ye78EHwV+UM=");
  EXPECT_EQ(config.renewEvery(), std::chrono::milliseconds(1'800'000));
}

TEST(TurnCredentials, AcceptsOnlyTurnUrlsWithoutCredentials) {
  const std::pair<const char*, bool> cases[] = {
      {"turn:127.0.0.1:3478", true},
      {"turn:turn.example.org", true},
      {"turn:turn.example.org:3478?transport=udp", true},
      {"turns:turn.example.org:5349?transport=tcp", true},
      {"turn:[::1]:3478", true},
      {"stun:stun.example.org", false},
      {"turn:", false},
      {"turn:user:pass@turn.example.org", false},
      {"turn:turn.example.org?transport=sctp", false},
      {"turn:turn.example.org/path", false},
      {"https://turn.example.org", false},
      {"", false},
  };
  for (const auto& [url, ok] : cases) EXPECT_EQ(isTurnUrl(url), ok) << url;
}

ParsedOptions parse(std::vector<std::string> args) {
  args.insert(args.begin(), "vroom-server");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return parseOptions(static_cast<int>(argv.size()), argv.data(), nullptr);
}

TEST(TurnCredentials, FlagsAreCheckedAndInstallTheMinter) {
  struct Case {
    std::vector<std::string> args;
    bool ok;
    const char* error;
  };
  const Case cases[] = {
      {{"--turn-secret", "s", "--turn-url", "turn:127.0.0.1:3478"}, true, ""},
      {{"--turn-secret", "s"}, false, "go together"},
      {{"--turn-url", "turn:127.0.0.1:3478"}, false, "go together"},
      {{"--turn-secret", "s", "--turn-url", "turn:u:p@h"}, false, "invalid --turn-url"},
      {{"--turn-secret", "s", "--turn-url", "turn:h", "--turn-ttl", "1"}, false, "--turn-ttl"},
      {{"--turn-secret-file", "/nonexistent/secret", "--turn-url", "turn:h"}, false, "cannot read"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.front() + " ... " + c.args.back());
    const auto parsed = parse(c.args);
    EXPECT_EQ(parsed.config.has_value(), c.ok) << parsed.output;
    if (!c.ok) {
      EXPECT_NE(parsed.output.find(c.error), std::string::npos) << parsed.output;
    }
  }
  const auto parsed = parse({"--turn-secret", "north-secret", "--turn-url", "turn:h:3478",
                             "--turn-url", "turn:h:3478?transport=tcp", "--turn-ttl", "60"});
  ASSERT_TRUE(parsed.config);
  const auto& reg = parsed.config->registry;
  ASSERT_TRUE(reg.mintIceServers);
  EXPECT_EQ(reg.iceRenewEvery, std::chrono::seconds(30));
  const auto minted = reg.mintIceServers("p", 1'000'000);
  ASSERT_EQ(minted.size(), 1u);
  EXPECT_EQ(minted[0].username, "1060:p");
  EXPECT_EQ(minted[0].urls.size(), 2u);
  EXPECT_FALSE(parse({}).config->registry.mintIceServers);  // no TURN: nothing minted
}

TEST(TurnCredentials, SecretFileKeepsTheSecretOutOfArgv) {
  const auto path = std::filesystem::temp_directory_path() / "vroom-turn-secret-test";
  { std::ofstream(path) << "from-file\n"; }
  const auto parsed =
      parse({"--turn-secret-file", path.string(), "--turn-url", "turn:127.0.0.1:3478"});
  std::filesystem::remove(path);
  ASSERT_TRUE(parsed.config) << parsed.output;
  EXPECT_EQ(parsed.config->turn.secret, "from-file");
}

RegistryConfig mintingConfig() {
  RegistryConfig config;
  config.iceServers = {protocol::IceServer{{"stun:stun.example.org"}, "", ""}};
  config.mintIceServers = [](const std::string& peerId, std::int64_t unixMs) {
    return std::vector<protocol::IceServer>{
        protocol::IceServer{{"turn:h"}, std::to_string(unixMs) + ":" + peerId, "pw"}};
  };
  config.iceRenewEvery = std::chrono::seconds(30);
  config.epochOffsetMs = 5'000;
  return config;
}

TEST(TurnCredentials, WelcomeCarriesEachPeerItsOwnCredentialsAfterTheStaticServers) {
  Harness h(mintingConfig());
  const json a = h.helloOn(h.connect(), "");
  const json b = h.helloOn(h.connect(), "");
  ASSERT_EQ(a["iceServers"].size(), 2u);
  EXPECT_EQ(a["iceServers"][0]["urls"][0], "stun:stun.example.org");
  const std::string userA = a["iceServers"][1]["username"];
  const std::string userB = b["iceServers"][1]["username"];
  EXPECT_EQ(userA, "1005000:id1");  // steady 1000 s + epoch offset 5 s, in ms; peer id
  EXPECT_NE(userA, userB);
}

TEST(TurnCredentials, ConnectedPeersGetRenewedCredentialsAwayPeersDoNot) {
  Harness h(mintingConfig());
  auto& alice = h.create("r", "Alice");
  auto& bob = h.join("r", "Bob");
  h.drainAll();
  h.now += std::chrono::seconds(29);
  h.registry.expire(h.now);
  EXPECT_TRUE(alice.types().empty());  // not due yet

  h.registry.disconnect(bob.conn, h.now);  // Bob is away: nothing is minted for a dead socket
  h.drainAll();
  h.now += std::chrono::seconds(1);
  h.registry.expire(h.now);
  const auto frames = alice.take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0]["type"], "ice-servers");
  EXPECT_EQ(frames[0]["iceServers"][0]["username"], "1035000:" + alice.peerId);
  EXPECT_TRUE(bob.types().empty());

  h.registry.expire(h.now);  // once per period, not once per tick
  EXPECT_TRUE(alice.types().empty());
  h.now += std::chrono::seconds(30);
  h.registry.expire(h.now);
  EXPECT_EQ(alice.types(), std::vector<std::string>{"ice-servers"});

  // Bob resumes: his welcome brings fresh credentials and restarts his renewal period.
  auto& back = h.connect();
  const json welcome = h.helloOn(back, bob.token);
  EXPECT_TRUE(welcome.value("resumed", false));
  EXPECT_EQ(welcome["iceServers"][1]["username"], "1065000:" + bob.peerId);
}

}  // namespace
}  // namespace vroom::server
