// Seeded simulations of the cluster logic without sockets or Redis: three Cluster nodes, each
// with its own registry, joined through the in-process bus (checked against Redis by
// cluster_bus_test). Random clients on random nodes say hello, create and join rooms, chat,
// leave and drop; after every step no room exists in two registries, and every welcome,
// join and chat frame reaches the client it was meant for. Then the node owning the fullest
// room dies: every member of its rooms resumes through the other nodes with its peer id.
// Cases a simulation found are kept below it as plain tests.
#include <random>
#include <iostream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>

#include "cluster.hpp"
#include "in_process_bus.hpp"
#include "log.hpp"
#include "server_state.hpp"

namespace vroom::server::testing {
namespace {

using nlohmann::json;

struct FakeSink : ClientSink {
  std::vector<json> frames;
  int closedWith = 0;
  void send(const std::string& frame) override {
    frames.push_back(json::parse(frame, nullptr, false));
  }
  void close(int code, std::string_view) override { closedWith = code; }
  bool got(const std::string& type) const {
    for (const auto& f : frames)
      if (f.is_object() && f.value("type", "") == type) return true;
    return false;
  }
  json last(const std::string& type) const {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it)
      if (it->is_object() && it->value("type", "") == type) return *it;
    return json();
  }
};

struct Node {
  Node(boost::asio::io_context& ioc, std::shared_ptr<InProcessRedis> redis, std::string id)
      : bus(ioc, std::move(redis)),
        registry(RegistryConfig{}),
        cluster(bus, registry, ioc, std::move(id), std::chrono::seconds(60)) {
    bus.heartbeat(cluster.nodeId(), std::chrono::seconds(60));
    cluster.start();
  }
  ~Node() { cluster.stop(); }
  InProcessBus bus;
  SharedRegistry registry;
  Cluster cluster;
};

class ClusterSimulation : public ::testing::TestWithParam<unsigned> {
 protected:
  ClusterSimulation() {
    log::setLevel(log::Level::Off);
    for (const char* id : {"a", "b", "c"}) nodes.push_back(std::make_unique<Node>(ioc, redis, id));
  }
  ~ClusterSimulation() override {
    for (auto& c : clients)
      if (c.link && !dead.count(c.node)) nodes[c.node]->cluster.disconnect(c.link);
    settle();
    nodes.clear();
  }
  void settle() {
    for (int i = 0; i < 20; ++i) {
      ioc.restart();
      ioc.poll();
    }
  }
  struct Client {
    std::unique_ptr<FakeSink> sink = std::make_unique<FakeSink>();
    std::size_t node = 0;
    Cluster::LinkId link = 0;
    std::string token;  // from its latest welcome
    std::string id;     // from its latest joined
    void remember() {
      if (const json w = sink->last("welcome"); w.is_object()) token = w.value("resumeToken", "");
      if (const json j = sink->last("joined"); j.is_object() && j["self"].is_object())
        id = j["self"].value("id", "");
    }
  };
  // No room id is held by two live registries.
  void checkOneOwner(const std::vector<std::string>& rooms) {
    for (const auto& room : rooms) {
      int holders = 0;
      for (std::size_t i = 0; i < nodes.size(); ++i)
        holders += !dead.count(i) && nodes[i]->registry.with([&](RoomRegistry& r) {
          return r.roomMode(room).has_value();
        });
      ASSERT_LE(holders, 1) << "room " << room << " in " << holders << " registries";
    }
  }

  boost::asio::io_context ioc;
  std::shared_ptr<InProcessRedis> redis = std::make_shared<InProcessRedis>();
  std::vector<std::unique_ptr<Node>> nodes;
  std::set<std::size_t> dead;  // nodes killed: silent, their registries no longer count
  std::vector<Client> clients;
};

TEST_P(ClusterSimulation, RoomsLiveInOneRegistryAndFramesArrive) {
  std::mt19937 rng(GetParam());
  const std::vector<std::string> rooms{"r0", "r1", "r2", "r3"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (int i = 0; i < 24; ++i) {
    Client c;
    c.node = pick(nodes.size());
    c.link = nodes[c.node]->cluster.open(*c.sink, "10.0.0.1");
    nodes[c.node]->cluster.receive(c.link, R"({"type":"hello","version":1})");
    clients.push_back(std::move(c));
  }
  settle();
  for (auto& c : clients) ASSERT_TRUE(c.sink->got("welcome"));
  for (int step = 0; step < 400; ++step) {
    Client& c = clients[pick(clients.size())];
    if (c.link == 0) continue;
    Cluster& cluster = nodes[c.node]->cluster;
    const std::string room = rooms[pick(rooms.size())];
    switch (pick(6)) {
      case 0:
        cluster.receive(c.link, json{{"type", "create"},
                                     {"room", room},
                                     {"name", "C"},
                                     {"mode", pick(2) ? "broadcast" : "conference"}}
                                    .dump());
        break;
      case 1:
        cluster.receive(c.link, json{{"type", "join"}, {"room", room}, {"name", "J"}}.dump());
        break;
      case 2:
        cluster.receive(c.link, R"({"type":"leave"})");
        break;
      case 3:
        cluster.receive(c.link, R"({"type":"chat","text":"hi"})");
        break;
      case 4:
        cluster.receive(c.link, R"({"type":"ping","ts":1})");
        break;
      case 5:
        if (pick(4) == 0) {  // a drop: the peer stays in its resume window
          cluster.disconnect(c.link);
          c.link = 0;
        }
        break;
    }
    settle();
    checkOneOwner(rooms);
    if (HasFatalFailure()) return;
  }
  // The run did cross nodes: clients entered rooms, some through another node's registry.
  int entered = 0;
  std::uint64_t handedOff = 0;
  for (auto& c : clients) entered += c.sink->got("joined");
  for (auto& node : nodes) handedOff += node->cluster.stats().handedOff;
  EXPECT_GT(entered, 0);
  EXPECT_GT(handedOff, 0u);
  // Everyone still connected was answered: a ping gets its pong through any node.
  for (auto& c : clients) c.remember();
  for (auto& c : clients) {
    if (c.link == 0 || c.sink->closedWith != 0) continue;
    c.sink->frames.clear();
    nodes[c.node]->cluster.receive(c.link, R"({"type":"ping","ts":7})");
  }
  settle();
  for (auto& c : clients) {
    if (c.link != 0 && c.sink->closedWith == 0) {
      EXPECT_TRUE(c.sink->got("pong"));
    }
  }

  // The node owning the fullest room dies without a word: its heartbeat stops, its channel
  // goes quiet, its sockets vanish. Who was in its rooms, by peer id.
  std::size_t victim = 0, most = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& room : rooms) {
      const auto n = nodes[i]->registry.with([&](RoomRegistry& r) { return r.members(room).size(); });
      if (n > most) most = n, victim = i;
    }
  }
  ASSERT_GT(most, 0u);
  std::set<std::string> members;
  for (const auto& room : rooms)
    for (const auto& m : nodes[victim]->registry.with([&](RoomRegistry& r) { return r.members(room); }))
      members.insert(m.id);
  // The owner saved its rooms on their last change: let any pending save run first (several
  // save delays, so that a late timer on a loaded machine still fires before the death).
  ioc.restart();
  ioc.run_for(Cluster::kSaveDelay * 6);

  nodes[victim]->cluster.stop();
  {
    const std::lock_guard lock(redis->mutex);
    redis->keys.erase("vroom:node:" + nodes[victim]->cluster.nodeId());
    redis->channels.erase(nodes[victim]->cluster.nodeId());
  }
  dead.insert(victim);
  // The survivors notice on their next tick and close the clients they relayed there (1012).
  // Waited for by what the clients see, not for a fixed time: a loaded machine runs ticks late.
  const auto allNoticed = [&] {
    for (auto& c : clients)
      if (c.link != 0 && c.node != victim && members.count(c.id) && c.sink->closedWith == 0)
        return false;
    return true;
  };
  const auto noticeBy = std::chrono::steady_clock::now() + 20 * Cluster::kTick;
  while (!allNoticed() && std::chrono::steady_clock::now() < noticeBy) {
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(allNoticed()) << "seed " << GetParam();
  settle();
  // Every client whose socket died (on the dead node, or closed with 1012) comes back with its
  // resume token through a random live node, and so do the dead node's members that had
  // dropped before (still in their resume window).
  int resumedMembers = 0;
  for (auto& c : clients) {
    const bool lost = c.link != 0 && (c.node == victim || c.sink->closedWith == 1012);
    const bool away = c.link == 0 && members.count(c.id) != 0;
    if (!lost && !away) continue;
    c.remember();
    const std::string token = c.token, id = c.id;
    const bool member = members.count(id) != 0;
    c.sink = std::make_unique<FakeSink>();
    do c.node = pick(nodes.size()); while (dead.count(c.node));
    c.link = nodes[c.node]->cluster.open(*c.sink, "10.0.0.1");
    nodes[c.node]->cluster.receive(
        c.link, json{{"type", "hello"}, {"version", 1}, {"resumeToken", token}}.dump());
    settle();
    checkOneOwner(rooms);
    if (!member) continue;
    ++resumedMembers;
    if (c.sink->last("welcome")["resumed"] != true) {
      const std::lock_guard lock(redis->mutex);
      std::cerr << "DBG victim=" << nodes[victim]->cluster.nodeId() << " via node " << nodes[c.node]->cluster.nodeId() << " id=" << id << " token=" << token << "\n";
      for (auto& [k, v] : redis->keys) std::cerr << "  " << k << " = " << v.first.substr(0, 300) << "\n";
      for (auto& f : c.sink->frames) std::cerr << "  frame " << f.dump().substr(0, 300) << "\n";
      for (std::size_t i = 0; i < nodes.size(); ++i) for (auto& r : rooms) { auto m = nodes[i]->registry.with([&](RoomRegistry& rr){ return rr.members(r); }); if (!m.empty()) { std::cerr << "  node " << i << " room " << r << ":"; for (auto& x : m) std::cerr << " " << x.id; std::cerr << "\n"; } }
    }
    EXPECT_EQ(c.sink->last("welcome")["resumed"], true) << "seed " << GetParam();
    EXPECT_EQ(c.sink->last("joined")["self"]["id"], id) << "seed " << GetParam();
    EXPECT_FALSE(c.sink->got("peer-left"));
  }
  EXPECT_GT(resumedMembers, 0);
  std::uint64_t takenOver = 0;
  for (auto& node : nodes) takenOver += node->cluster.stats().roomsTakenOver;
  EXPECT_GT(takenOver, 0u);
}

// Seeds 1-8, and the two of a 60-seed sweep that found bugs (47: a room rebuilt from its own
// saved state; 32: the dead owner's only members had dropped before its death).
INSTANTIATE_TEST_SUITE_P(Seeds, ClusterSimulation,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 32u, 47u));

// Seed 5's failure: a peer left one room and entered another before the next save, so the bus
// still named the first room for its resume token, and after its owner died the resume went
// to the wrong room and started over.
TEST(ClusterResumeTokens, TheBusLearnsTheRoomAPeerMovedToBetweenTwoSaves) {
  log::setLevel(log::Level::Off);
  boost::asio::io_context ioc;
  auto redis = std::make_shared<InProcessRedis>();
  Node node(ioc, redis, "a");
  const auto runSaves = [&] {
    ioc.restart();
    ioc.run_for(Cluster::kSaveDelay * 4);
  };
  FakeSink sink;
  const auto link = node.cluster.open(sink, "10.0.0.1");
  node.cluster.receive(link, R"({"type":"hello","version":1})");
  node.cluster.receive(link, R"({"type":"create","room":"r0","name":"A"})");
  runSaves();
  const std::string token = sink.last("welcome").value("resumeToken", "");
  ASSERT_FALSE(token.empty());
  const auto roomOf = [&] {
    std::optional<std::string> room;
    node.bus.roomOfResume(token, [&](std::optional<std::string> r) { room = std::move(r); });
    ioc.restart();
    ioc.poll();
    return room;
  };
  ASSERT_EQ(roomOf(), "r0");

  node.cluster.receive(link, R"({"type":"leave"})");  // no save runs between these two
  node.cluster.receive(link, R"({"type":"create","room":"r1","name":"A"})");
  ASSERT_TRUE(sink.got("joined"));
  runSaves();
  EXPECT_EQ(roomOf(), "r1");
  node.cluster.disconnect(link);
  runSaves();
}

// Seed 47's failure: a room closed on its owner and was created again there before the next
// save. The claim handed back the state the owner itself had saved, and the room came back
// with its old members, one of whom was by then in another node's room: two registries held
// the peer, and its resume went to the wrong one.
TEST(ClusterTakeOver, ARoomReopenedOnItsOwnerStartsEmptyNotFromItsOwnSavedState) {
  log::setLevel(log::Level::Off);
  boost::asio::io_context ioc;
  auto redis = std::make_shared<InProcessRedis>();
  Node a(ioc, redis, "a"), b(ioc, redis, "b");
  const auto settle = [&] {
    for (int i = 0; i < 20; ++i) {
      ioc.restart();
      ioc.poll();
    }
  };
  FakeSink mover, opener, other;
  const auto one = a.cluster.open(mover, "10.0.0.1");
  const auto two = a.cluster.open(opener, "10.0.0.2");
  const auto three = b.cluster.open(other, "10.0.0.3");
  for (auto [node, link] : {std::pair{&a, one}, {&a, two}, {&b, three}})
    node->cluster.receive(link, R"({"type":"hello","version":1})");
  a.cluster.receive(one, R"({"type":"create","room":"r0","name":"M"})");
  b.cluster.receive(three, R"({"type":"create","room":"r1","name":"O"})");
  settle();
  ioc.restart();
  ioc.run_for(Cluster::kSaveDelay * 4);  // r0 saved with its one member
  ASSERT_TRUE(redis->get("vroom:room:r0:state").has_value());
  const std::string moverId = mover.last("joined")["self"]["id"];

  // No save runs on a between these: r0 closes, its member moves to b's room, r0 reopens.
  a.cluster.receive(one, R"({"type":"leave"})");
  a.cluster.receive(one, R"({"type":"join","room":"r1","name":"M"})");
  settle();
  ASSERT_EQ(b.cluster.stats().hosted, 1u);
  a.cluster.receive(two, R"({"type":"create","room":"r0","name":"N"})");
  settle();

  ASSERT_TRUE(opener.got("joined"));
  EXPECT_EQ(opener.last("joined")["peers"].size(), 0u) << opener.last("joined").dump();
  const auto members = a.registry.with([](RoomRegistry& r) { return r.members("r0"); });
  ASSERT_EQ(members.size(), 1u);
  EXPECT_NE(members[0].id, moverId) << "the peer now in b's room is back in a's";
  EXPECT_EQ(a.cluster.stats().roomsTakenOver, 0u);
  for (auto [node, link] : {std::pair{&a, one}, {&a, two}, {&b, three}})
    node->cluster.disconnect(link);
  settle();
}

}  // namespace
}  // namespace vroom::server::testing
