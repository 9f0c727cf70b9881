// End-to-end tests of the Beast server over real loopback sockets: HTTP (static files,
// /healthz, /metrics, Origin), and the signaling rules as a browser would see them.
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/write.hpp>

#include "loopback_client.hpp"
#include "running_server.hpp"
#include "server.hpp"

namespace vroom::server::testing {
namespace {

namespace fs = std::filesystem;

// A temporary site: index.html, the built client's files, a subdirectory, and a secret
// beside (not inside) the root that traversal attempts aim at.
class TempSite {
 public:
  TempSite() {
    base_ = fs::temp_directory_path() /
            ("vroom_site_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(root() / "sub");
    write(base_ / "secret.txt", "top secret");
    write(root() / "index.html", "<h1>vroom</h1>");
    write(root() / "vroom.mjs", "export default 1;");
    write(root() / "vroom.wasm", std::string("\0asm\1\0\0\0", 8));
    write(root() / "style.css", "body{}");
    write(root() / "icon.svg", "<svg/>");
    write(root() / "data.json", "{}");
    write(root() / "vroom.d.ts", "export {};");
    write(root() / "sub" / "index.html", "<p>sub</p>");
    fs::create_symlink(base_ / "secret.txt", root() / "leak.txt");
  }
  ~TempSite() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  fs::path root() const { return base_ / "site"; }

 private:
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  static inline int counter_ = 0;
  fs::path base_;
};

ServerConfig testConfig(const TempSite& site) {
  ServerConfig config;
  config.port = 0;
  config.root = site.root().string();
  config.logLevel = log::Level::Off;
  return config;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerConfig config) { server_ = std::make_unique<RunningServer>(std::move(config)); }
  void start() { start(testConfig(site_)); }
  std::uint16_t port() const { return server_->port(); }

  TempSite site_;
  std::unique_ptr<RunningServer> server_;
};

// ---- HTTP ----

struct StaticCase {
  const char* target;
  int status;
  const char* contentType;  // prefix
  bool noCache;             // every file without a content hash in its name is revalidated
  const char* body;
};

TEST_F(ServerTest, ServesStaticFilesWithMimeTypesAndNoTraversal) {
  start();
  const std::vector<StaticCase> cases = {
      {"/", 200, "text/html", true, "<h1>vroom</h1>"},
      {"/index.html?v=3", 200, "text/html", true, "<h1>vroom</h1>"},
      {"/vroom.mjs", 200, "text/javascript", true, "export default 1;"},
      {"/vroom.wasm", 200, "application/wasm", true, nullptr},
      {"/style.css", 200, "text/css", true, "body{}"},
      {"/icon.svg", 200, "image/svg+xml", true, "<svg/>"},
      {"/data.json", 200, "application/json", true, "{}"},
      {"/vroom.d.ts", 200, "application/typescript", true, "export {};"},
      {"/sub/", 200, "text/html", true, "<p>sub</p>"},
      {"/sub", 200, "text/html", true, "<p>sub</p>"},
      {"/./sub//index.html", 200, "text/html", true, "<p>sub</p>"},
      {"/%73tyle.css", 200, "text/css", true, "body{}"},
      {"/missing.js", 404, "text/plain", false, nullptr},
      {"/../secret.txt", 404, "text/plain", false, nullptr},
      {"/sub/../../secret.txt", 404, "text/plain", false, nullptr},
      {"/%2e%2e/secret.txt", 404, "text/plain", false, nullptr},
      {"/%2E%2E%2Fsecret.txt", 404, "text/plain", false, nullptr},
      {"/sub/%2e%2e/%2e%2e/secret.txt", 404, "text/plain", false, nullptr},
      {"/..%5csecret.txt", 404, "text/plain", false, nullptr},
      {"/index.html%00.css", 404, "text/plain", false, nullptr},
      {"/%zz", 404, "text/plain", false, nullptr},
      {"/leak.txt", 404, "text/plain", false, nullptr},  // symlink out of the root
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    const HttpReply reply = httpGet(port(), c.target);
    EXPECT_EQ(reply.status, c.status);
    EXPECT_EQ(reply.contentType.rfind(c.contentType, 0), 0u) << reply.contentType;
    EXPECT_EQ(reply.cacheControl == "no-cache", c.noCache) << reply.cacheControl;
    if (c.body) {
      EXPECT_EQ(reply.body, c.body);
    }
    EXPECT_EQ(reply.body.find("top secret"), std::string::npos);
  }
  EXPECT_EQ(httpGet(port(), "/vroom.wasm").body, std::string("\0asm\1\0\0\0", 8));
  EXPECT_EQ(httpGet(port(), "/", http::verb::post).status, 405);
  const HttpReply head = httpGet(port(), "/", http::verb::head);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerTest, HealthzAndMetrics) {
  start();
  const HttpReply health = httpGet(port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  WsClient a;
  ASSERT_EQ(a.connect(port()), 101);
  a.enter("create", "r1", "Ann");
  a.send(json{{"type", "join"}, {"room", "r1"}, {"name", "Ann"}});  // already_in_room
  a.readType("error");
  const HttpReply metrics = httpGet(port(), "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.contentType.rfind("text/plain; version=0.0.4", 0), 0u);
  for (const char* line :
       {"vroom_connections 1\n", "vroom_rooms 1\n", "vroom_messages_in_total 3\n",
        "vroom_messages_out_total 3\n", "vroom_errors_total{code=\"already_in_room\"} 1\n",
        "vroom_errors_total{code=\"room_full\"} 0\n", "# TYPE vroom_rooms gauge\n"})
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << metrics.body;
}

struct OriginCase {
  const char* origin;
  const char* host;  // empty: 127.0.0.1:port
  int status;
};

TEST_F(ServerTest, UpgradeChecksPathAndOrigin) {
  ServerConfig config = testConfig(site_);
  config.allowedOrigins = {"https://app.example.org"};
  start(config);
  const std::string self = "http://127.0.0.1:" + std::to_string(port());
  const std::vector<OriginCase> cases = {
      {"", "", 101},                          // no Origin: not a browser
      {self.c_str(), "", 101},                // same host
      {"https://app.example.org", "", 101},   // listed
      {"https://APP.example.org/", "", 101},  // case and trailing slash do not matter
      {"https://evil.example.org", "", 403},
      {"http://127.0.0.1:1", "", 403},  // same host, other port
      {"null", "", 403},
      // A name is never vouched for by the Host header (DNS rebinding): only --public-host
      // names are (server_access_test.cpp).
      {"http://vroom.lan", "vroom.lan:80", 403},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.origin);
    WsClient client;
    EXPECT_EQ(client.connect(port(), "/ws", c.origin, c.host), c.status);
  }
  WsClient wrongPath;
  EXPECT_EQ(wrongPath.connect(port(), "/socket"), 404);
  EXPECT_EQ(httpGet(port(), "/ws").status, 426);
}

// ---- signaling ----

TEST_F(ServerTest, CreateJoinLeaveFanOut) {
  start();
  WsClient a, b, c;
  for (WsClient* client : {&a, &b, &c}) ASSERT_EQ(client->connect(port()), 101);
  const json welcome = a.hello();
  EXPECT_EQ(welcome["type"], "welcome");
  EXPECT_EQ(welcome["limits"]["maxMessageBytes"], 65536);
  a.send(json{{"type", "create"}, {"room", "r"}, {"name", "Ann"}, {"mode", "conference"}});
  const auto joinedA = a.read();
  ASSERT_TRUE(joinedA);
  const std::string aId = (*joinedA)["self"]["id"];
  EXPECT_EQ(aId.size(), 32u);

  const json joinedB = b.enter("join", "r", "Bob");
  ASSERT_EQ(joinedB["members"].size(), 1u);
  EXPECT_EQ(joinedB["members"][0]["id"], aId);
  const auto pj = a.read();
  ASSERT_TRUE(pj);
  EXPECT_EQ((*pj)["type"], "peer-joined");
  EXPECT_EQ((*pj)["peer"]["id"], b.id());

  c.enter("join", "r", "Cy");
  EXPECT_EQ(a.read().value_or(json())["type"], "peer-joined");
  EXPECT_EQ(b.read().value_or(json())["type"], "peer-joined");

  b.send(json{{"type", "leave"}});
  EXPECT_EQ(b.read().value_or(json())["type"], "left");
  for (WsClient* other : {&a, &c}) {
    const auto left = other->read();
    ASSERT_TRUE(left);
    EXPECT_EQ((*left)["type"], "peer-left");
    EXPECT_EQ((*left)["id"], b.id());
  }
  // A WebSocket close is a disconnect: the others hear nothing during the resume window.
  c.dropTcp();
  EXPECT_TRUE(a.sync().empty());
}

// Browsers close with 1001 when the page navigates away, reloads or closes: that peer
// leaves at once. Any other close keeps its seat for the resume window.
TEST_F(ServerTest, CloseWithGoingAwayLeavesAtOnce) {
  start();
  WsClient a, b, c;
  for (WsClient* client : {&a, &b, &c}) ASSERT_EQ(client->connect(port()), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  c.enter("join", "r", "C");
  a.sync();
  ASSERT_TRUE(c.closeWith(1000));
  EXPECT_TRUE(a.sync().empty());  // C may still resume
  ASSERT_TRUE(b.closeWith(1001));
  const auto left = a.read();
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["type"], "peer-left");
  EXPECT_EQ((*left)["id"], b.id());
  WsClient b2;
  ASSERT_EQ(b2.connect(port()), 101);
  EXPECT_EQ(b2.hello(b.token())["resumed"], false);  // nothing left to resume
}

TEST_F(ServerTest, BroadcastViewersSeeOnlyTheHost) {
  start();
  WsClient host, v1, v2;
  for (WsClient* client : {&host, &v1, &v2}) ASSERT_EQ(client->connect(port()), 101);
  host.enter("create", "show", "Host", json{{"mode", "broadcast"}});
  const json j1 = v1.enter("join", "show", "V1", json{{"role", "viewer"}});
  const json j2 = v2.enter("join", "show", "V2");
  EXPECT_EQ(j2["self"]["role"], "viewer");
  ASSERT_EQ(j2["members"].size(), 1u);
  EXPECT_EQ(j2["members"][0]["id"], host.id());
  EXPECT_EQ(j2["members"][0]["role"], "host");
  EXPECT_TRUE(v1.sync().empty());  // nothing about V2
  const auto hostSaw = host.sync();
  ASSERT_EQ(hostSaw.size(), 2u);
  EXPECT_EQ(hostSaw[0]["peer"]["id"], v1.id());
  EXPECT_EQ(hostSaw[1]["peer"]["id"], v2.id());

  v1.send(json{{"type", "signal"}, {"to", v2.id()}, {"data", {{"sdp", "x"}}}});
  const auto refused = v1.readType("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)["code"], "not_allowed");
  EXPECT_TRUE(v2.sync().empty());

  host.send(json{{"type", "leave"}});
  for (WsClient* v : {&v1, &v2}) {
    const auto closed = v->read();
    ASSERT_TRUE(closed);
    EXPECT_EQ((*closed)["type"], "room-closed");
    EXPECT_TRUE(v->sync().empty());  // and the connection is still served
  }
}

TEST_F(ServerTest, ForgedFromIsOverwrittenAndCrossRoomSignalRefused) {
  start();
  WsClient a, b, outsider;
  for (WsClient* client : {&a, &b, &outsider}) ASSERT_EQ(client->connect(port()), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  outsider.enter("join", "elsewhere", "O");
  a.sync();
  a.send(json{
      {"type", "signal"}, {"to", b.id()}, {"from", outsider.id()}, {"data", {{"sdp", "v=0"}}}});
  const auto got = b.read();
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["type"], "signal");
  EXPECT_EQ((*got)["from"], a.id());
  EXPECT_EQ((*got)["data"]["sdp"], "v=0");

  outsider.send(json{{"type", "signal"}, {"to", a.id()}, {"data", json::object()}});
  const auto refused = outsider.read();
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)["code"], "unknown_peer");
  EXPECT_EQ((*refused)["offendingType"], "signal");
  EXPECT_TRUE(a.sync().empty());
  EXPECT_TRUE(outsider.sync().empty());  // a user error keeps the connection
}

TEST_F(ServerTest, ResumeWithinAndAfterTheWindow) {
  ServerConfig config = testConfig(site_);
  config.registry.resumeWindow = 600ms;
  start(config);
  WsClient a, b;
  ASSERT_EQ(a.connect(port()), 101);
  ASSERT_EQ(b.connect(port()), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  a.sync();

  // Within the window: same id, current member list, queued signal, no churn for A.
  b.dropTcp();
  std::this_thread::sleep_for(100ms);
  a.send(json{{"type", "signal"}, {"to", b.id()}, {"data", {{"candidate", "c"}}}});
  EXPECT_TRUE(a.sync().empty());
  WsClient b2;
  ASSERT_EQ(b2.connect(port()), 101);
  const json welcome = b2.hello(b.token());
  EXPECT_EQ(welcome["resumed"], true);
  EXPECT_NE(b2.token(), b.token());
  const auto joined = b2.read();
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["type"], "joined");
  EXPECT_EQ((*joined)["resumed"], true);
  EXPECT_EQ((*joined)["self"]["id"], b.id());
  EXPECT_EQ((*joined)["members"][0]["id"], a.id());
  const auto queued = b2.read();
  ASSERT_TRUE(queued);
  EXPECT_EQ((*queued)["type"], "signal");
  EXPECT_EQ((*queued)["from"], a.id());
  EXPECT_TRUE(a.sync().empty());

  // After the window: A sees peer-left, the token no longer resumes.
  const std::string token = b2.token();
  b2.dropTcp();
  const auto left = a.read(3s);
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["type"], "peer-left");
  EXPECT_EQ((*left)["id"], b.id());
  WsClient b3;
  ASSERT_EQ(b3.connect(port()), 101);
  EXPECT_EQ(b3.hello(token)["resumed"], false);
}

TEST_F(ServerTest, ResumeTakesOverAnOpenSocket) {
  start();
  WsClient a, b;
  ASSERT_EQ(a.connect(port()), 101);
  ASSERT_EQ(b.connect(port()), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  WsClient b2;
  ASSERT_EQ(b2.connect(port()), 101);
  EXPECT_EQ(b2.hello(b.token())["resumed"], true);
  EXPECT_EQ(b.readUntilClosed(), protocol::kCloseReplaced);
  EXPECT_EQ(b2.read().value_or(json())["type"], "joined");
  a.sync();
}

struct ProtocolCloseCase {
  const char* label;
  std::string frame;
  bool binary;
  const char* code;  // expected error frame code; nullptr: closed without one
  int closeCode;
};

TEST_F(ServerTest, ProtocolErrorsCloseWithTheRightCode) {
  start();
  const std::vector<ProtocolCloseCase> cases = {
      {"oversize", R"({"type":"chat","text":")" + std::string(70000, 'a') + "\"}", false,
       "message_too_big", 1009},
      {"far oversize", std::string(300000, 'a'), false, nullptr, 1009},
      {"not json", "{{{", false, "invalid_json", 1007},
      {"invalid utf-8", "\"\xff\"", false, nullptr, 1007},  // Beast rejects it itself
      {"unknown type", R"({"type":"boom"})", false, "invalid_message", 1008},
      {"binary", "\x01\x02", true, "invalid_message", 1008},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    WsClient client;
    ASSERT_EQ(client.connect(port()), 101);
    client.hello();
    if (c.binary) {
      client.sendBinary(c.frame);
    } else {
      client.sendText(c.frame);
    }
    if (c.code) {
      const auto error = client.read();
      ASSERT_TRUE(error);
      EXPECT_EQ((*error)["type"], "error");
      EXPECT_EQ((*error)["code"], c.code);
    }
    EXPECT_EQ(client.readUntilClosed(), c.closeCode);
  }
}

TEST_F(ServerTest, HelloFirstAndHandshakeTimeout) {
  ServerConfig config = testConfig(site_);
  config.registry.handshakeTimeout = 300ms;
  start(config);
  WsClient eager;
  ASSERT_EQ(eager.connect(port()), 101);
  eager.send(json{{"type", "join"}, {"room", "r"}, {"name", "n"}});
  EXPECT_EQ(eager.read().value_or(json())["code"], "hello_required");
  EXPECT_EQ(eager.readUntilClosed(), 1008);

  WsClient silent;
  ASSERT_EQ(silent.connect(port()), 101);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(silent.readUntilClosed(3s), protocol::kCloseTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(ServerTest, GarbageNeverStopsTheServer) {
  start();
  const std::vector<std::string> garbage = {
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  // a TLS hello on a plain port
      "GET / HTTP/9.9\r\n\r\n",
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      std::string(20000, 'A') + "\r\n\r\n",  // header over the limit
      "\r\n\r\n\r\n",
  };
  for (const auto& bytes : garbage) {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), port()});
    beast::error_code ec;
    net::write(socket, net::buffer(bytes), ec);
    socket.close(ec);
  }
  for (int i = 0; i < 3; ++i) {
    WsClient client;
    ASSERT_EQ(client.connect(port()), 101);
    client.sendText(std::string("\x00\x01garbage", 9));
    EXPECT_GT(client.readUntilClosed(), 1000);
  }
  WsClient good;
  ASSERT_EQ(good.connect(port()), 101);
  EXPECT_EQ(good.hello()["type"], "welcome");
  EXPECT_EQ(httpGet(port(), "/healthz").status, 200);
}

TEST_F(ServerTest, StopClosesEverySocketWithGoingAway) {
  start();
  WsClient a, b;
  ASSERT_EQ(a.connect(port()), 101);
  ASSERT_EQ(b.connect(port()), 101);
  a.enter("create", "r", "A");
  b.hello();
  std::thread stopper([this] { server_->stop(); });
  EXPECT_EQ(a.readUntilClosed(), 1001);
  EXPECT_EQ(b.readUntilClosed(), 1001);
  stopper.join();
}

}  // namespace
}  // namespace vroom::server::testing
