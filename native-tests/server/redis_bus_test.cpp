// The hiredis-over-Asio adapter and RedisBus against a real redis-server on loopback:
// commands, pub/sub order, the atomic room claim under a race, takeover of a dead owner's
// room, and reconnecting (and resubscribing) after Redis is killed and restarted.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "log.hpp"
#include "redis_bus.hpp"
#include "redis_process.hpp"

namespace vroom::server::testing {
namespace {

using namespace std::chrono_literals;

// Runs the loop until `done` or the timeout; true when done.
template <class F>
bool runUntil(boost::asio::io_context& ioc, F done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    ioc.restart();
    ioc.run_for(10ms);
  }
  return true;
}

class RedisBusTest : public ::testing::Test {
 protected:
  RedisBusTest() { log::setLevel(log::Level::Off); }
  RedisProcess redis;
  boost::asio::io_context ioc;
  RedisAddress address{"127.0.0.1", redis.port()};
};

TEST(RedisUrl, ParsesHostAndPort) {
  EXPECT_EQ(parseRedisUrl("redis://127.0.0.1:6380")->port, 6380);
  EXPECT_EQ(parseRedisUrl("redis://localhost")->host, "localhost");
  EXPECT_EQ(parseRedisUrl("redis://localhost")->port, 6379);
  for (const char* bad : {"", "http://x:1", "redis://", "redis://h:0", "redis://h:99999",
                          "redis://h:12x", "redis://user@h:1"})
    EXPECT_FALSE(parseRedisUrl(bad)) << bad;
}

TEST_F(RedisBusTest, CommandsRunAfterConnecting) {
  RedisBus bus(ioc, address);
  bus.start();
  ASSERT_TRUE(runUntil(ioc, [&] { return bus.up(); }));
  std::optional<RedisReply> got;
  bus.command({"SET", "k", std::string("v\0w", 3)}, {});
  bus.command({"GET", "k"}, [&](const RedisReply& r) { got = r; });
  ASSERT_TRUE(runUntil(ioc, [&] { return got.has_value(); }));
  EXPECT_EQ(got->type, RedisReply::Type::String);
  EXPECT_EQ(got->str, std::string("v\0w", 3));  // binary-safe
  got.reset();
  bus.command({"NOSUCHCOMMAND"}, [&](const RedisReply& r) { got = r; });
  ASSERT_TRUE(runUntil(ioc, [&] { return got.has_value(); }));
  EXPECT_FALSE(got->ok());
}

TEST_F(RedisBusTest, PubSubKeepsOrder) {
  RedisBus a(ioc, address), b(ioc, address);
  std::vector<std::string> received;
  a.listen("a", [&](std::string_view m) { received.emplace_back(m); });
  a.start();
  b.start();
  ASSERT_TRUE(runUntil(ioc, [&] { return a.up() && b.up(); }));
  runUntil(
      ioc, [] { return false; }, 100ms);  // the SUBSCRIBE is through
  for (int i = 0; i < 200; ++i) b.publish("a", "m" + std::to_string(i));
  ASSERT_TRUE(runUntil(ioc, [&] { return received.size() == 200; }));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(received[i], "m" + std::to_string(i));
}

// Two nodes claim the same 100 rooms at the same moment: each room gets exactly one owner,
// and both nodes are told the same one.
TEST_F(RedisBusTest, ClaimRaceHasOneWinner) {
  RedisBus a(ioc, address), b(ioc, address);
  a.start();
  b.start();
  ASSERT_TRUE(runUntil(ioc, [&] { return a.up() && b.up(); }));
  a.heartbeat("a", 10s);
  b.heartbeat("b", 10s);
  std::vector<std::optional<std::string>> fromA(100), fromB(100);
  int answers = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string room = "race" + std::to_string(i);
    a.claimRoom(room, "a", 10s, [&, i](auto c) { fromA[i] = ownerOf(c), ++answers; });
    b.claimRoom(room, "b", 10s, [&, i](auto c) { fromB[i] = ownerOf(c), ++answers; });
  }
  ASSERT_TRUE(runUntil(ioc, [&] { return answers == 200; }));
  int wonA = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(fromA[i] && fromB[i]);
    EXPECT_EQ(*fromA[i], *fromB[i]) << i;
    wonA += *fromA[i] == "a";
  }
  EXPECT_GT(wonA, 0);  // interleaved: both win some (each claim goes on its own connection)
}

TEST_F(RedisBusTest, ADeadOwnersRoomIsTakenOver) {
  RedisBus a(ioc, address), b(ioc, address);
  a.start();
  b.start();
  ASSERT_TRUE(runUntil(ioc, [&] { return a.up() && b.up(); }));
  std::optional<std::string> owner;
  auto claim = [&](RedisBus& bus, const std::string& node) {
    owner.reset();
    bus.claimRoom("r", node, 10s, [&](auto o) { owner = ownerOf(o).value_or("?"); });
    EXPECT_TRUE(runUntil(ioc, [&] { return owner.has_value(); }));
    return owner.value_or("");
  };
  a.heartbeat("a", 300ms);
  EXPECT_EQ(claim(a, "a"), "a");
  EXPECT_EQ(claim(b, "b"), "a");  // a is alive
  std::optional<std::vector<bool>> live;
  b.liveNodes({"a", "b"}, [&](auto l) { live = l.value_or(std::vector<bool>{}); });
  ASSERT_TRUE(runUntil(ioc, [&] { return live.has_value(); }));
  EXPECT_EQ(*live, (std::vector<bool>{true, false}));
  runUntil(
      ioc, [] { return false; }, 400ms);  // a's heartbeat runs out
  EXPECT_EQ(claim(b, "b"), "b");
}

TEST_F(RedisBusTest, ReconnectsAndResubscribesAfterRedisRestarts) {
  RedisBus a(ioc, address), b(ioc, address);
  std::vector<std::string> received;
  a.listen("a", [&](std::string_view m) { received.emplace_back(m); });
  a.start();
  b.start();
  ASSERT_TRUE(runUntil(ioc, [&] { return a.up() && b.up(); }));
  redis.kill();
  ASSERT_TRUE(runUntil(ioc, [&] { return !a.up() && !b.up(); }));
  std::optional<RedisReply> failed;
  b.command({"PING"}, [&](const RedisReply& r) { failed = r; });
  ASSERT_TRUE(runUntil(ioc, [&] { return failed.has_value(); }));
  EXPECT_FALSE(failed->ok());  // answered at once while down, not left hanging
  ASSERT_TRUE(redis.start());
  ASSERT_TRUE(runUntil(ioc, [&] { return a.up() && b.up(); }));
  EXPECT_EQ(a.stats().reconnects, 1u);
  runUntil(
      ioc, [] { return false; }, 100ms);
  b.publish("a", "after");
  ASSERT_TRUE(runUntil(ioc, [&] { return received.size() == 1; }));
  EXPECT_EQ(received[0], "after");
}

}  // namespace
}  // namespace vroom::server::testing
