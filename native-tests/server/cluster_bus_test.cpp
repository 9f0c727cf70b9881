// The same ClusterBus cases against real Redis (RedisBus + redis-server) and against the
// in-process stand-in (InProcessBus): what the stand-in answers is checked against Redis, so
// simulations built on it model the real bus.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "in_process_bus.hpp"
#include "log.hpp"
#include "redis_bus.hpp"
#include "redis_process.hpp"

namespace vroom::server::testing {
namespace {

using namespace std::chrono_literals;

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::unique_ptr<ClusterBus> make(boost::asio::io_context& ioc) = 0;
  virtual void goDown() = 0;
};

class RealRedis : public Backend {
 public:
  std::unique_ptr<ClusterBus> make(boost::asio::io_context& ioc) override {
    auto bus = std::make_unique<RedisBus>(ioc, RedisAddress{"127.0.0.1", redis_.port()});
    bus->start();
    return bus;
  }
  void goDown() override { redis_.kill(); }

 private:
  RedisProcess redis_;
};

class StandIn : public Backend {
 public:
  std::unique_ptr<ClusterBus> make(boost::asio::io_context& ioc) override {
    return std::make_unique<InProcessBus>(ioc, redis_);
  }
  void goDown() override {
    const std::lock_guard lock(redis_->mutex);
    redis_->up = false;
  }

 private:
  std::shared_ptr<InProcessRedis> redis_ = std::make_shared<InProcessRedis>();
};

class ClusterBusTest : public ::testing::TestWithParam<bool> {  // true: real Redis
 protected:
  ClusterBusTest() {
    log::setLevel(log::Level::Off);
    if (GetParam()) {
      backend_ = std::make_unique<RealRedis>();
    } else {
      backend_ = std::make_unique<StandIn>();
    }
    a_ = backend_->make(ioc_);
    b_ = backend_->make(ioc_);
    EXPECT_TRUE(runUntil([&] { return a_->up() && b_->up(); }));
  }
  template <class F>
  bool runUntil(F done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ioc_.restart();
      ioc_.run_for(10ms);
    }
    return true;
  }
  std::optional<std::string> claim(ClusterBus& bus, const std::string& room,
                                   const std::string& node) {
    std::optional<std::optional<std::string>> owner;
    bus.claimRoom(room, node, 10s, [&](auto o) { owner = ownerOf(o); });
    EXPECT_TRUE(runUntil([&] { return owner.has_value(); }));
    return owner.value_or(std::nullopt);
  }

  boost::asio::io_context ioc_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<ClusterBus> a_, b_;
};

TEST_P(ClusterBusTest, PubSubKeepsOrderPerChannel) {
  std::vector<std::string> got;
  a_->listen("a", [&](std::string_view m) { got.emplace_back(m); });
  runUntil([] { return false; }, 100ms);
  for (int i = 0; i < 100; ++i) b_->publish("a", "m" + std::to_string(i));
  b_->publish("nobody", "lost");
  ASSERT_TRUE(runUntil([&] { return got.size() == 100; }));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
}

TEST_P(ClusterBusTest, ClaimsAgreeAndALiveOwnerKeepsItsRoom) {
  a_->heartbeat("a", 10s);
  b_->heartbeat("b", 10s);
  std::vector<std::optional<std::string>> fromA(50), fromB(50);
  int answers = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string room = "r" + std::to_string(i);
    a_->claimRoom(room, "a", 10s, [&, i](auto o) { fromA[i] = ownerOf(o), ++answers; });
    b_->claimRoom(room, "b", 10s, [&, i](auto o) { fromB[i] = ownerOf(o), ++answers; });
  }
  ASSERT_TRUE(runUntil([&] { return answers == 100; }));
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(fromA[i] && fromB[i]);
    EXPECT_EQ(*fromA[i], *fromB[i]);
  }
  EXPECT_EQ(claim(*b_, "r0", "b"), fromA[0]);  // asked again: the same owner
}

TEST_P(ClusterBusTest, ADeadOwnersRoomGoesToTheNextClaimant) {
  a_->heartbeat("a", 300ms);
  EXPECT_EQ(claim(*a_, "room", "a"), "a");
  EXPECT_EQ(claim(*b_, "room", "b"), "a");
  std::optional<std::optional<std::vector<bool>>> live;
  b_->liveNodes({"a", "b"}, [&](auto l) { live = l; });
  ASSERT_TRUE(runUntil([&] { return live.has_value(); }));
  EXPECT_EQ(**live, (std::vector<bool>{true, false}));
  runUntil([] { return false; }, 400ms);
  EXPECT_EQ(claim(*b_, "room", "b"), "b");
}

// A room's saved state is written only by its owner and handed to the node that takes the
// room over in the claim itself; a closed room's state is gone.
TEST_P(ClusterBusTest, ASavedRoomGoesWithItsClaimToTheNextOwner) {
  a_->heartbeat("a", 300ms);
  b_->heartbeat("b", 10s);
  std::optional<std::optional<RoomClaim>> got;
  const auto claimWithState = [&](ClusterBus& bus, const std::string& room,
                                  const std::string& node) {
    got.reset();
    bus.claimRoom(room, node, 10s, [&](auto c) { got = c; });
    EXPECT_TRUE(runUntil([&] { return got.has_value(); }));
    return got.value_or(std::nullopt).value_or(RoomClaim{"?", "?"});
  };
  EXPECT_EQ(claimWithState(*a_, "room", "a").state, "");  // nothing saved yet
  a_->saveRoom("room", "a", "state-1", 10s);
  b_->saveRoom("room", "b", "not the owner", 10s);  // ignored
  EXPECT_EQ(claimWithState(*a_, "room", "a").state, "state-1");
  const RoomClaim whileAlive = claimWithState(*b_, "room", "b");
  EXPECT_EQ(whileAlive.owner, "a");
  EXPECT_EQ(whileAlive.state, "");  // only the owner gets it
  runUntil([] { return false; }, 400ms);  // a's heartbeat runs out
  const RoomClaim takeover = claimWithState(*b_, "room", "b");
  EXPECT_EQ(takeover.owner, "b");
  EXPECT_EQ(takeover.state, "state-1");
  a_->dropRoom("room", "a");  // no longer a's to drop
  EXPECT_EQ(claimWithState(*b_, "room", "b").state, "state-1");
  b_->dropRoom("room", "b");
  EXPECT_EQ(claimWithState(*b_, "room", "b").state, "");
}

TEST_P(ClusterBusTest, ResumeTokensExpire) {
  a_->putResume({{"t1", "room1"}, {"t2", "room2"}}, 300ms);
  std::optional<std::optional<std::string>> room;
  b_->roomOfResume("t2", [&](auto r) { room = r; });
  ASSERT_TRUE(runUntil([&] { return room.has_value(); }));
  EXPECT_EQ(*room, "room2");
  runUntil([] { return false; }, 400ms);
  room.reset();
  b_->roomOfResume("t2", [&](auto r) { room = r; });
  ASSERT_TRUE(runUntil([&] { return room.has_value(); }));
  EXPECT_EQ(*room, std::nullopt);
}

TEST_P(ClusterBusTest, DownAnswersNothingRatherThanHanging) {
  backend_->goDown();
  ASSERT_TRUE(runUntil([&] { return !a_->up(); }));
  EXPECT_EQ(claim(*a_, "room", "a"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(RedisAndStandIn, ClusterBusTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "RealRedis" : "StandIn"; });

}  // namespace
}  // namespace vroom::server::testing
