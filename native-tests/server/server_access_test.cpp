// Who may reach what on the real server, over loopback sockets: the Origin rule with public
// hosts (a DNS-rebinding page refused), /metrics for loopback or a bearer token, and the
// entry rules as a client meets them on the wire (assigned names, clean chat, what a viewer may
// claim, join tokens, passwords, moderation).

#include <gtest/gtest.h>

#include "join_token.hpp"
#include "loopback_client.hpp"
#include "origin_check.hpp"
#include "running_server.hpp"

namespace vroom::server::testing {
namespace {

class AccessServer : public ::testing::Test {
 protected:
  ServerConfig config() {
    ServerConfig c;
    c.port = 0;
    c.root = "/nonexistent";
    c.logLevel = log::Level::Off;
    return c;
  }
  void start(ServerConfig c) { server_ = std::make_unique<RunningServer>(std::move(c)); }
  std::uint16_t port() const { return server_->port(); }
  std::string self() const { return "127.0.0.1:" + std::to_string(port()); }

  std::unique_ptr<RunningServer> server_;
};

struct OriginCase {
  std::string origin;
  std::string host;  // the Host header the page's browser sends
  int status;
};

TEST_F(AccessServer, OriginMustNameAPublicHostNotWhateverHostSays) {
  ServerConfig c = config();
  c.publicHosts = {"vroom.example.org", "lan-box:9000"};
  start(c);
  const std::string p = std::to_string(port());
  const std::vector<OriginCase> cases = {
      // The black-box case: a rebinding page names itself in both headers. Refused now.
      {"http://rebind.attacker.test:" + p, "rebind.attacker.test:" + p, 403},
      {"http://127.0.0.1:" + p, self(), 101},  // an address literal the socket reached
      {"http://[::1]:" + p, "[::1]:" + p, 101},
      {"http://127.0.0.1:" + p, "rebind.attacker.test:" + p, 403},  // a literal not reached
      {"http://10.1.2.3:" + p, "10.1.2.3:" + p, 101},           // a LAN address typed in the bar
      {"https://vroom.example.org", "vroom.example.org", 101},  // behind a TLS proxy
      {"http://vroom.example.org:" + p, self(), 101},           // the listening port
      {"http://vroom.example.org:8443", self(), 403},           // another port of that name
      {"http://lan-box:9000", self(), 101},
      {"http://lan-box:" + p, self(), 403},    // an entry with a port means that port only
      {"http://localhost:" + p, self(), 403},  // --public-host replaces the defaults
      {"file://", self(), 403},
      {"null", self(), 403},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.origin + " / Host " + c.host);
    WsClient client;
    EXPECT_EQ(client.connect(port(), "/ws", c.origin, c.host), c.status);
  }
}

TEST_F(AccessServer, ByDefaultLocalhostAndTheListeningAddressArePublic) {
  start(config());
  const std::string p = std::to_string(port());
  for (const auto& [origin, status] :
       std::vector<std::pair<std::string, int>>{{"http://localhost:" + p, 101},
                                                {"http://127.0.0.1:" + p, 101},
                                                {"http://localhost:1", 403},
                                                {"http://vroom.lan:" + p, 403}}) {
    WsClient client;
    EXPECT_EQ(client.connect(port(), "/ws", origin, origin.substr(7)), status) << origin;
  }
  EXPECT_EQ(defaultPublicHosts("0.0.0.0"), (std::vector<std::string>{"localhost"}));
  EXPECT_EQ(defaultPublicHosts("::1"), (std::vector<std::string>{"localhost", "[::1]"}));
}

TEST(LoopbackAddress, OnlyTheLoopbackNetworks) {
  for (const char* yes : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(isLoopbackAddress(yes)) << yes;
  for (const char* no : {"10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "fe80::1", "", "?"})
    EXPECT_FALSE(isLoopbackAddress(no)) << no;
}

TEST_F(AccessServer, MetricsNeedTheTokenWhenOneIsSet) {
  ServerConfig c = config();
  c.metricsToken = "m3trics";
  start(c);
  EXPECT_EQ(httpGet(port(), "/metrics").status, 403);  // loopback too: a proxy is loopback
  EXPECT_EQ(
      httpGet(port(), "/metrics", http::verb::get, {{http::field::authorization, "Bearer wrong"}})
          .status,
      403);
  const HttpReply ok = httpGet(port(), "/metrics", http::verb::get,
                               {{http::field::authorization, "Bearer m3trics"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("vroom_errors_total{code=\"banned\"} 0"), std::string::npos);
  EXPECT_EQ(httpGet(port(), "/healthz").status, 200);  // health stays open
}

TEST_F(AccessServer, NamesChatAndViewerMediaOnTheWire) {
  start(config());
  WsClient ann, bob, fake;
  for (WsClient* c : {&ann, &bob, &fake}) ASSERT_EQ(c->connect(port()), 101);
  ann.enter("create", "r", "Bob");
  const json second = bob.enter("join", "r", "B\u200Bob");
  EXPECT_EQ(second["self"]["name"], "Bob (2)");
  ann.readType("peer-joined");
  bob.send(json{{"type", "chat"}, {"text", std::string("\x1b[2J\0hi\u202E", 10)}});
  const auto chat = ann.readType("chat");
  ASSERT_TRUE(chat);
  EXPECT_EQ((*chat)["text"], "[2Jhi");
  EXPECT_EQ((*chat)["name"], "Bob (2)");

  WsClient host, viewer;
  for (WsClient* c : {&host, &viewer}) ASSERT_EQ(c->connect(port()), 101);
  host.enter("create", "show", "Host", json{{"mode", "broadcast"}});
  viewer.enter("join", "show", "V", json{{"role", "viewer"}});
  const auto announced = host.readType("peer-joined");
  ASSERT_TRUE(announced);
  EXPECT_EQ((*announced)["peer"]["media"]["video"], false);
  viewer.send(
      json{{"type", "media"}, {"media", {{"audio", false}, {"video", true}, {"screen", false}}}});
  EXPECT_EQ(viewer.readType("error").value_or(json())["code"], "not_allowed");
  EXPECT_TRUE(host.sync().empty());  // the claim never reached the host
}

TEST_F(AccessServer, TokensPasswordsAndAModeratorOverSockets) {
  ServerConfig c = config();
  c.registry.tokenSecret = "shh";
  c.registry.epochOffsetMs = 0;  // withDefaults() sets the real offset when the server starts
  start(c);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  JoinClaims claims{"team", "Ada", TokenRole::Moderator, "", now + 60, {}, {}};
  WsClient ada, bea;
  for (WsClient* client : {&ada, &bea}) ASSERT_EQ(client->connect(port()), 101);
  ada.hello();
  ada.send(json{{"type", "join"}, {"room", "team"}, {"name", "x"}});
  EXPECT_EQ(ada.readType("error").value_or(json())["code"], "token_required");
  ada.send(json{
      {"type", "join"}, {"room", "team"}, {"name", "x"}, {"token", mintJoinToken(claims, "shh")}});
  const auto joined = ada.readType("joined");
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["self"]["name"], "Ada");
  claims.name = "Bea";
  claims.role = TokenRole::Member;
  const json beaJoined =
      bea.enter("join", "team", "x", json{{"token", mintJoinToken(claims, "shh")}});
  ada.send(json{{"type", "remove"}, {"peer", bea.id()}, {"ban", true}});
  EXPECT_EQ(bea.readType("removed").value_or(json())["byName"], "Ada");
  bea.send(json{
      {"type", "join"}, {"room", "team"}, {"name", "x"}, {"token", mintJoinToken(claims, "shh")}});
  EXPECT_EQ(bea.readType("error").value_or(json())["code"], "banned");
  (void)beaJoined;
}

}  // namespace
}  // namespace vroom::server::testing
