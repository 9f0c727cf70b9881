// JanusClient against a real Janus (started per test on a free loopback port): session,
// keepalive, attach, typed errors, a wrong secret, Janus down at start, Janus killed and
// started again; and against a scripted fake for garbage, silence and oversized frames.
#include "janus_client.hpp"

#include <gtest/gtest.h>

#include "fake_janus.hpp"
#include "janus_process.hpp"
#include "janus_test_support.hpp"

namespace vroom::server::janus {
namespace {

using testing::await;
using testing::FakeJanus;
using testing::JanusProcess;
using testing::RecordingClient;
using testing::runUntil;
using namespace std::chrono_literals;

JanusClientConfig configFor(const std::string& url, std::string secret = JanusProcess::kSecret) {
  JanusClientConfig config;
  config.url = url;
  config.apiSecret = std::move(secret);
  config.requestTimeout = 3s;
  config.keepaliveEvery = 300ms;
  config.reconnectMin = 100ms;
  config.reconnectMax = 400ms;
  return config;
}

TEST(JanusUrl, AcceptsOnlyWsWithHostAndPort) {
  struct Case {
    const char* url;
    bool ok;
    const char* host;
    const char* port;
    const char* target;
  };
  const Case cases[] = {
      {"ws://127.0.0.1:8188", true, "127.0.0.1", "8188", "/"},
      {"ws://janus.internal:8188/janus", true, "janus.internal", "8188", "/janus"},
      {"ws://[::1]:8188", true, "::1", "8188", "/"},
      {"ws://localhost", true, "localhost", "80", "/"},
      {"wss://127.0.0.1:8989", false, "", "", ""},
      {"http://127.0.0.1:8088/janus", false, "", "", ""},
      {"ws://:8188", false, "", "", ""},
      {"ws://127.0.0.1:0", false, "", "", ""},
      {"ws://127.0.0.1:70000", false, "", "", ""},
      {"ws://user@127.0.0.1:8188", false, "", "", ""},
      {"ws://127.0.0.1:81a8", false, "", "", ""},
      {"", false, "", "", ""},
  };
  for (const auto& c : cases) {
    const auto url = parseWsUrl(c.url);
    EXPECT_EQ(url.has_value(), c.ok) << c.url;
    if (!url || !c.ok) continue;
    EXPECT_EQ(url->host, c.host) << c.url;
    EXPECT_EQ(url->port, c.port) << c.url;
    EXPECT_EQ(url->target, c.target) << c.url;
  }
}

TEST(JanusWire, ClassifiesFramesAndRefusesGarbage) {
  struct Case {
    std::string text;
    bool ok;
    Incoming::Kind kind;
  };
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  const Case cases[] = {
      {R"({"janus":"ack","transaction":"a"})", true, Incoming::Kind::Ack},
      {R"({"janus":"success","transaction":"a","data":{"id":5}})", true, Incoming::Kind::Success},
      {R"({"janus":"error","transaction":"a","error":{"code":458,"reason":"x"}})", true,
       Incoming::Kind::Error},
      {R"({"janus":"webrtcup","session_id":1,"sender":2})", true, Incoming::Kind::Event},
      {R"({"janus":"event","sender":2,"plugindata":{"plugin":"p","data":{"videoroom":"event"}}})",
       true, Incoming::Kind::Event},
      {"", false, {}},
      {"not json", false, {}},
      {"[1,2,3]", false, {}},
      {"{\"janus\":\"success\"", false, {}},
      {R"({"transaction":"a"})", false, {}},
      {R"({"janus":5})", false, {}},
      {R"({"janus":"bogus"})", false, {}},
      {R"({"janus":"ack","transaction":7})", false, {}},
      {R"({"janus":"error","transaction":"a"})", false, {}},
      {R"({"janus":"event","sender":2})", false, {}},
      {R"({"janus":"event","plugindata":{"data":[]}})", false, {}},
      {R"({"janus":"event","plugindata":{"data":{}},"jsep":{"type":"offer"}})", false, {}},
      {R"({"janus":"event","plugindata":{"data":{}},"jsep":"v=0"})", false, {}},
      {"{\"janus\":\"ack\",\"x\":" + deep + "}", false, {}},
      {"{\"janus\":\"ack\",\"x\":\"\xff\xfe\"}", false, {}},  // invalid UTF-8
  };
  for (const auto& c : cases) {
    const auto parsed = parseIncoming(c.text);
    EXPECT_EQ(parsed.ok(), c.ok) << c.text;
    if (parsed && c.ok) {
      EXPECT_EQ(parsed.value().kind, c.kind) << c.text;
    }
    if (!parsed) {
      EXPECT_EQ(parsed.error().code, ErrorCode::Malformed) << c.text;
    }
  }
}

TEST(JanusClient, OpensSessionKeepsItAliveAttachesAndDetaches) {
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url()));
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  EXPECT_EQ(rec.sessions, std::vector<std::uint64_t>{1});
  const auto session = rec.client->sessionId();
  EXPECT_NE(session, 0u);

  // Several keep-alive periods: the session stays the same and nothing failed.
  runUntil(
      io, [] { return false; }, 1200ms);
  EXPECT_TRUE(rec.client->sessionReady());
  EXPECT_EQ(rec.client->sessionId(), session);
  EXPECT_TRUE(rec.downs.empty());

  const auto handle = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(handle && handle->ok()) << (handle ? handle->error().reason : "no reply");
  EXPECT_NE(handle->value(), 0u);
  const auto detached =
      await<Done>(io, [&](auto done) { rec.client->detach(handle->value(), done); });
  ASSERT_TRUE(detached);
  EXPECT_TRUE(detached->ok()) << detached->error().reason;
  EXPECT_EQ(rec.client->malformedFrames(), 0u);
}

TEST(JanusClient, KeepalivesHoldASessionThatJanusWouldOtherwiseTimeOut) {
  JanusProcess janus(/*sessionTimeout=*/5);
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  auto config = configFor(janus.url());
  config.keepaliveEvery = 1s;
  RecordingClient rec(io, config);
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  const auto session = rec.client->sessionId();
  runUntil(
      io, [] { return false; }, 7s);
  EXPECT_TRUE(rec.downs.empty());
  EXPECT_EQ(rec.client->sessionId(), session);
  EXPECT_EQ(rec.sessions, std::vector<std::uint64_t>{1});

  // Without keep-alives Janus times the session out; the client opens a new one.
  JanusProcess quiet(/*sessionTimeout=*/5);
  ASSERT_TRUE(quiet.start()) << quiet.log();
  config = configFor(quiet.url());
  config.keepaliveEvery = 600s;
  RecordingClient silent(io, config);
  silent.client->start();
  ASSERT_TRUE(silent.waitForSession());
  ASSERT_TRUE(silent.waitForSession(2, 12s));
  ASSERT_FALSE(silent.downs.empty());
  EXPECT_EQ(silent.downs.front().code, ErrorCode::Disconnected);
}

TEST(JanusClient, JanusAndPluginRefusalsAreTypedErrors) {
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url()));
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());

  const auto noPlugin = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.nonesuch", done); });
  ASSERT_TRUE(noPlugin && !noPlugin->ok());
  EXPECT_EQ(noPlugin->error().code, ErrorCode::Janus);
  EXPECT_EQ(noPlugin->error().janusCode, 460);  // JANUS_ERROR_PLUGIN_NOT_FOUND

  // The echotest plugin is disabled by the generated configuration.
  const auto disabled = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.echotest", done); });
  ASSERT_TRUE(disabled && !disabled->ok());
  EXPECT_EQ(disabled->error().janusCode, 460);

  const auto noHandle = await<Incoming>(io, [&](auto done) {
    rec.client->message(424242, Json{{"request", "list"}}, std::nullopt, done);
  });
  ASSERT_TRUE(noHandle && !noHandle->ok());
  EXPECT_EQ(noHandle->error().code, ErrorCode::Janus);
  EXPECT_EQ(noHandle->error().janusCode, 459);  // JANUS_ERROR_HANDLE_NOT_FOUND

  const auto handle = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(handle && handle->ok());
  const auto badRequest = await<Incoming>(io, [&](auto done) {
    rec.client->message(handle->value(), Json{{"request", "dance"}}, std::nullopt, done);
  });
  ASSERT_TRUE(badRequest && !badRequest->ok());
  EXPECT_EQ(badRequest->error().code, ErrorCode::Plugin);
  EXPECT_GT(badRequest->error().janusCode, 0);
  EXPECT_TRUE(rec.client->sessionReady());
}

TEST(JanusClient, TricklesCandidatesAndTheirEnd) {
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url()));
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  const auto handle = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(handle && handle->ok());
  const IceCandidate candidate{"candidate:1 1 udp 2122260223 192.0.2.99 50000 typ host", "0", 0};
  const auto one =
      await<Done>(io, [&](auto done) { rec.client->trickle(handle->value(), candidate, done); });
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->ok()) << one->error().reason;
  const auto end =
      await<Done>(io, [&](auto done) { rec.client->trickle(handle->value(), std::nullopt, done); });
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->ok()) << end->error().reason;
  const auto unknown =
      await<Done>(io, [&](auto done) { rec.client->trickle(424242, candidate, done); });
  ASSERT_TRUE(unknown && !unknown->ok());
  EXPECT_EQ(unknown->error().janusCode, 459);
}

TEST(JanusClient, WrongSecretNeverOpensASession) {
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url(), "not-the-secret"));
  rec.client->start();
  ASSERT_TRUE(runUntil(io, [&] { return !rec.unavailable.empty(); }));
  EXPECT_EQ(rec.unavailable.front().code, ErrorCode::Janus);
  EXPECT_EQ(rec.unavailable.front().janusCode, 403);  // JANUS_ERROR_UNAUTHORIZED
  EXPECT_TRUE(rec.sessions.empty());
  const auto attach = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(attach && !attach->ok());
  EXPECT_EQ(attach->error().code, ErrorCode::Disconnected);
}

TEST(JanusClient, JanusDownAtStartIsReportedThenJoinedWhenItComes) {
  JanusProcess janus;  // configured, not started
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url()));
  rec.client->start();
  ASSERT_TRUE(runUntil(io, [&] { return rec.unavailable.size() >= 2; }));
  EXPECT_EQ(rec.unavailable.front().code, ErrorCode::Disconnected);
  const auto attach = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(attach && !attach->ok());
  EXPECT_EQ(attach->error().code, ErrorCode::Disconnected);

  ASSERT_TRUE(janus.start()) << janus.log();
  ASSERT_TRUE(rec.waitForSession(1, 5s));
  EXPECT_EQ(rec.sessions, std::vector<std::uint64_t>{1});
}

TEST(JanusClient, JanusKilledAndStartedAgainGivesANewSessionAndTellsTheOwner) {
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(janus.url()));
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  const auto handle = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(handle && handle->ok());

  janus.kill();
  ASSERT_TRUE(runUntil(
      io, [&] { return !rec.downs.empty(); }, 3s));
  EXPECT_EQ(rec.downs.front().code, ErrorCode::Disconnected);
  EXPECT_FALSE(rec.client->sessionReady());

  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(janus.start()) << janus.log();
  ASSERT_TRUE(rec.waitForSession(2, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(rec.sessions, (std::vector<std::uint64_t>{1, 2}));

  // The old handle died with the old Janus; a new attach works.
  const auto stale = await<Incoming>(io, [&](auto done) {
    rec.client->message(handle->value(), Json{{"request", "list"}}, std::nullopt, done);
  });
  ASSERT_TRUE(stale && !stale->ok());
  EXPECT_EQ(stale->error().janusCode, 459);
  const auto fresh = await<std::uint64_t>(
      io, [&](auto done) { rec.client->attach("janus.plugin.videoroom", done); });
  ASSERT_TRUE(fresh && fresh->ok());
}

// --- a scripted Janus: what a real one never sends ---

std::vector<std::string> sessionThen(const Json& request, std::vector<std::string> forAttach) {
  const std::string janus = request.is_object() ? request.value("janus", "") : "";
  if (janus == "create") return {R"({"janus":"success","transaction":"$T","data":{"id":77}})"};
  if (janus == "keepalive") return {R"({"janus":"ack","session_id":77,"transaction":"$T"})"};
  if (janus == "attach") return forAttach;
  return {};
}

TEST(JanusClient, GarbageFromJanusIsAnErrorAndTheClientCarriesOn) {
  struct Case {
    const char* name;
    std::vector<std::string> reply;
    ErrorCode expected;
  };
  const std::string deep = std::string(100, '{');
  const Case cases[] = {
      {"not JSON", {"}}}garbage"}, ErrorCode::Timeout},
      {"a JSON array", {"[\"$T\"]"}, ErrorCode::Timeout},
      {"too deep", {"{\"transaction\":\"$T\",\"x\":" + deep}, ErrorCode::Timeout},
      {"no janus field", {R"({"transaction":"$T"})"}, ErrorCode::Malformed},
      {"unknown janus", {R"({"janus":"party","transaction":"$T"})"}, ErrorCode::Malformed},
      {"success without data", {R"({"janus":"success","transaction":"$T"})"}, ErrorCode::Malformed},
      {"handle id a string",
       {R"({"janus":"success","transaction":"$T","data":{"id":"5"}})"},
       ErrorCode::Malformed},
      {"handle id negative",
       {R"({"janus":"success","transaction":"$T","data":{"id":-5}})"},
       ErrorCode::Malformed},
      {"error without details", {R"({"janus":"error","transaction":"$T"})"}, ErrorCode::Malformed},
      {"error with odd types",
       {R"({"janus":"error","transaction":"$T","error":{"code":"x","reason":7}})"},
       ErrorCode::Janus},
      {"stray reply then silence",
       {R"({"janus":"success","transaction":"other","data":{"id":5}})"},
       ErrorCode::Timeout},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    bool firstAttach = true;
    FakeJanus fake([&](const Json& request) {
      if (request.is_object() && request.value("janus", "") == "attach" && !firstAttach)
        return sessionThen(request, {R"({"janus":"success","transaction":"$T","data":{"id":9}})"});
      if (request.is_object() && request.value("janus", "") == "attach") firstAttach = false;
      return sessionThen(request, c.reply);
    });
    boost::asio::io_context io;
    auto config = configFor(fake.url());
    config.requestTimeout = 400ms;
    RecordingClient rec(io, config);
    rec.client->start();
    ASSERT_TRUE(rec.waitForSession());
    const auto bad = await<std::uint64_t>(io, [&](auto done) { rec.client->attach("p", done); });
    ASSERT_TRUE(bad && !bad->ok());
    EXPECT_EQ(bad->error().code, c.expected) << bad->error().reason;
    // The connection survives: the next request is answered.
    const auto good = await<std::uint64_t>(io, [&](auto done) { rec.client->attach("p", done); });
    ASSERT_TRUE(good && good->ok()) << good->error().reason;
    EXPECT_EQ(good->value(), 9u);
    EXPECT_EQ(rec.sessions, std::vector<std::uint64_t>{1});
  }
}

TEST(JanusClient, OversizedFrameDropsTheConnectionAndANewSessionFollows) {
  FakeJanus fake([](const Json& request) {
    return sessionThen(request,
                       {R"({"janus":"success","transaction":"$T","data":{"id":9},"pad":")" +
                        std::string(4096, 'x') + "\"}"});
  });
  boost::asio::io_context io;
  auto config = configFor(fake.url());
  config.maxMessageBytes = 1024;
  RecordingClient rec(io, config);
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  const auto reply = await<std::uint64_t>(io, [&](auto done) { rec.client->attach("p", done); });
  ASSERT_TRUE(reply && !reply->ok());
  EXPECT_EQ(reply->error().code, ErrorCode::Disconnected);
  ASSERT_TRUE(runUntil(io, [&] { return !rec.downs.empty(); }));
  EXPECT_EQ(rec.downs.front().code, ErrorCode::TooLarge);
  ASSERT_TRUE(rec.waitForSession(2));
  EXPECT_EQ(fake.connections(), 2);
}

TEST(JanusClient, SessionTimeoutFromJanusStartsANewSession) {
  int creates = 0;
  FakeJanus fake([&](const Json& request) -> std::vector<std::string> {
    if (request.value("janus", "") == "create") ++creates;
    if (request.value("janus", "") == "attach" && creates == 1)
      return {R"({"janus":"timeout","session_id":77})"};
    return sessionThen(request, {R"({"janus":"success","transaction":"$T","data":{"id":9}})"});
  });
  boost::asio::io_context io;
  RecordingClient rec(io, configFor(fake.url()));
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  const auto lost = await<std::uint64_t>(io, [&](auto done) { rec.client->attach("p", done); });
  ASSERT_TRUE(lost && !lost->ok());
  EXPECT_EQ(lost->error().code, ErrorCode::Disconnected);
  ASSERT_TRUE(rec.waitForSession(2));
  const auto again = await<std::uint64_t>(io, [&](auto done) { rec.client->attach("p", done); });
  ASSERT_TRUE(again && again->ok());
}

}  // namespace
}  // namespace vroom::server::janus
