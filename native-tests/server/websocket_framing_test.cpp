// The server's WebSocket layer over real loopback sockets, with frames written by hand: the
// upgrade's refusals, frames that arrive with the upgrade request or in fragments, pings,
// the close handshake, framing errors, keep-alive and idle timeout, a busy connection going
// quiet, and frames queued for one socket leaving in one write.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loopback_client.hpp"
#include "raw_ws_client.hpp"
#include "running_server.hpp"
#include "ws_frame.hpp"

namespace vroom::server::testing {
namespace {

const std::string kHello = R"({"type":"hello","version":1})";

ServerConfig framingConfig() {
  ServerConfig config;
  config.port = 0;
  config.root = std::filesystem::temp_directory_path().string();
  config.logLevel = log::Level::Off;
  return config;
}

std::string typeOf(const std::optional<std::string>& text) {
  if (!text) return "(none)";
  const auto j = json::parse(*text, nullptr, false);
  return j.is_object() ? j.value("type", "?") : "?";
}

// Counter `name` from /metrics.
std::uint64_t metric(std::uint16_t port, const std::string& name) {
  const std::string body = httpGet(port, "/metrics").body;
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return 0;
  return std::stoull(body.substr(at + name.size() + 2));
}

TEST(WebSocketFraming, UpgradeRefusesOtherVersionsAndMalformedKeys) {
  RunningServer server(framingConfig());
  RawWsClient v12;
  EXPECT_EQ(v12.connect(server.port(), "", "12"), 426);
  EXPECT_NE(v12.head.find("Sec-WebSocket-Version: 13"), std::string::npos) << v12.head;
  RawWsClient badKey;
  EXPECT_EQ(badKey.connect(server.port(), "", "13", "c2hvcnQ="), 400);
  RawWsClient good;
  ASSERT_EQ(good.connect(server.port()), 101);
  // RFC 6455's sample key and its accept value; no extension is accepted.
  EXPECT_NE(good.head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos);
  EXPECT_EQ(good.head.find("Sec-WebSocket-Extensions"), std::string::npos);
}

TEST(WebSocketFraming, FramesSentWithTheUpgradeRequestAreRead) {
  RunningServer server(framingConfig());
  RawWsClient client;
  ASSERT_EQ(client.connect(server.port(), textFrame(kHello) + controlFrame(0x9, "early")), 101);
  const auto welcome = client.readFrame();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->opcode, 0x1);
  EXPECT_FALSE(welcome->masked);  // a server never masks
  EXPECT_EQ(typeOf(welcome->payload), "welcome");
  const auto pong = client.readFrame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, 0xA);
  EXPECT_EQ(pong->payload, "early");
}

TEST(WebSocketFraming, AFragmentedMessageWithAPingBetweenItsFragments) {
  RunningServer server(framingConfig());
  RawWsClient client;
  ASSERT_EQ(client.connect(server.port()), 101);
  // Byte by byte across fragments: the server reassembles it.
  const std::string bytes = textFrame(kHello.substr(0, 10), false) + controlFrame(0x9, "mid") +
                            continuationFrame(kHello.substr(10, 5), false) +
                            continuationFrame(kHello.substr(15));
  for (char c : bytes) ASSERT_TRUE(client.send(std::string(1, c)));
  const auto pong = client.readFrame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, 0xA);
  EXPECT_EQ(pong->payload, "mid");
  EXPECT_EQ(typeOf(client.readText()), "welcome");
}

TEST(WebSocketFraming, TheCloseHandshakeEchoesTheCodeAndTheServerEndsTcp) {
  RunningServer server(framingConfig());
  for (const int code : {1000, 3001}) {
    SCOPED_TRACE(code);
    RawWsClient client;
    ASSERT_EQ(client.connect(server.port()), 101);
    client.sendText(kHello);
    EXPECT_EQ(typeOf(client.readText()), "welcome");
    client.send(controlFrame(0x8, ws::closePayload(code, "done")));
    const auto reply = client.readFrame();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->opcode, 0x8);
    EXPECT_EQ(reply->closeCode(), code);
    EXPECT_TRUE(client.waitForEof());
  }
  RawWsClient empty;  // a close without a code is answered without one
  ASSERT_EQ(empty.connect(server.port()), 101);
  empty.send(controlFrame(0x8, ""));
  const auto reply = empty.readFrame();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->opcode, 0x8);
  EXPECT_EQ(reply->payload, "");
  EXPECT_TRUE(empty.waitForEof());
}

TEST(WebSocketFraming, FramingErrorsCloseWith1002AndTheServerGoesOn) {
  RunningServer server(framingConfig());
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"unmasked", clientFrame({.payload = kHello, .masked = false})},
      {"reserved bit", clientFrame({.payload = kHello, .rsv = 0x20})},
      {"continuation first", continuationFrame(kHello)},
      {"ping over 125 bytes", controlFrame(0x9, std::string(200, 'p'))},
  };
  for (const auto& [label, bytes] : cases) {
    SCOPED_TRACE(label);
    RawWsClient client;
    ASSERT_EQ(client.connect(server.port()), 101);
    client.send(bytes);
    const auto reply = client.readFrame();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->opcode, 0x8);
    EXPECT_EQ(reply->closeCode(), 1002);
    EXPECT_TRUE(client.waitForEof());
  }
  RawWsClient after;
  ASSERT_EQ(after.connect(server.port()), 101);
  after.sendText(kHello);
  EXPECT_EQ(typeOf(after.readText()), "welcome");
}

TEST(WebSocketFraming, SilentClientsArePingedThenClosedWith4001) {
  ServerConfig config = framingConfig();
  config.idleTimeout = std::chrono::seconds(2);
  RunningServer server(config);
  RawWsClient silent;
  ASSERT_EQ(silent.connect(server.port()), 101);
  silent.sendText(kHello);
  EXPECT_EQ(typeOf(silent.readText()), "welcome");
  const auto started = std::chrono::steady_clock::now();
  const auto ping = silent.readFrame(std::chrono::seconds(3));
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 0x9);  // at half the timeout
  const auto close = silent.readFrame(std::chrono::seconds(3));
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->closeCode(), protocol::kCloseTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));

  // A client that answers the pings stays.
  RawWsClient answering;
  ASSERT_EQ(answering.connect(server.port()), 101);
  answering.sendText(kHello);
  EXPECT_EQ(typeOf(answering.readText()), "welcome");
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(4500);
  int pings = 0;
  while (std::chrono::steady_clock::now() < until) {
    const auto frame = answering.readFrame(std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now()));
    if (!frame) break;
    ASSERT_EQ(frame->opcode, 0x9) << "only pings while the client says nothing";
    ++pings;
    answering.send(controlFrame(0xA, frame->payload));
  }
  EXPECT_GE(pings, 2);
  EXPECT_FALSE(answering.eof());
  answering.sendText(R"({"type":"ping","ts":7})");
  EXPECT_EQ(typeOf(answering.readText()), "pong");
}

// A connection that reads often gets a read buffer of its own; quiet again, it goes back to
// waiting without one. Both ways it must keep hearing and answering.
TEST(WebSocketFraming, ABusyConnectionThatGoesQuietStillWorks) {
  RunningServer server(framingConfig());
  WsClient client;
  ASSERT_EQ(client.connect(server.port()), 101);
  client.hello();
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(client.sync().empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));  // quiet for kQuietAfter
  }
  EXPECT_TRUE(client.sync().empty());
}

// Frames queued for one socket while the thread handles other sockets leave together: here a
// burst of signals from one client to another, sent in one TCP write.
TEST(WebSocketFraming, FramesQueuedForOneSocketLeaveInFewerWrites) {
  ServerConfig config = framingConfig();
  config.registry.limits.messagesPerSecond = 0;
  RunningServer server(config);
  WsClient a, b;
  ASSERT_EQ(a.connect(server.port()), 101);
  ASSERT_EQ(b.connect(server.port()), 101);
  a.enter("create", "burst", "A");
  b.enter("join", "burst", "B");
  a.sync();
  const auto writesBefore = metric(server.port(), "vroom_websocket_writes_total");
  const auto framesBefore = metric(server.port(), "vroom_websocket_frames_out_total");
  RawWsClient raw;  // a third member, whose 100 signals arrive in one read
  ASSERT_EQ(raw.connect(server.port()), 101);
  raw.sendText(kHello);
  ASSERT_EQ(typeOf(raw.readText()), "welcome");
  raw.sendText(R"({"type":"join","room":"burst","name":"C"})");
  ASSERT_EQ(typeOf(raw.readText()), "joined");
  std::string burst;
  for (int i = 0; i < 100; ++i)
    burst += textFrame(json{{"type", "signal"}, {"to", b.id()}, {"data", {{"n", i}}}}.dump());
  raw.send(burst);
  int last = -1;
  for (int got = 0; got < 100;) {
    const auto frame = b.read();
    ASSERT_TRUE(frame);
    if ((*frame)["type"] != "signal") continue;
    EXPECT_EQ((*frame)["data"]["n"], last + 1);  // in order
    last = (*frame)["data"]["n"];
    ++got;
  }
  const auto writes = metric(server.port(), "vroom_websocket_writes_total") - writesBefore;
  const auto frames = metric(server.port(), "vroom_websocket_frames_out_total") - framesBefore;
  EXPECT_GE(frames, 100u);
  EXPECT_LT(writes * 4, frames) << writes << " writes for " << frames << " frames";
}

}  // namespace
}  // namespace vroom::server::testing
