// Seeded simulations of the cluster logic without sockets or Redis: three Cluster nodes, each
// with its own registry, joined through the in-process bus (checked against Redis by
// cluster_bus_test). Random clients on random nodes say hello, create and join rooms, chat,
// leave and drop; after every step no room exists in two registries, and every welcome,
// join and chat frame reaches the client it was meant for.
#include <random>

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
      if (c.link) nodes[c.node]->cluster.disconnect(c.link);
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
  };
  // No room id is held by two registries.
  void checkOneOwner(const std::vector<std::string>& rooms) {
    for (const auto& room : rooms) {
      int holders = 0;
      for (auto& node : nodes)
        holders +=
            node->registry.with([&](RoomRegistry& r) { return r.roomMode(room).has_value(); });
      ASSERT_LE(holders, 1) << "room " << room << " in " << holders << " registries";
    }
  }

  boost::asio::io_context ioc;
  std::shared_ptr<InProcessRedis> redis = std::make_shared<InProcessRedis>();
  std::vector<std::unique_ptr<Node>> nodes;
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
  for (auto& c : clients) {
    if (c.link == 0 || c.sink->closedWith != 0) continue;
    c.sink->frames.clear();
    nodes[c.node]->cluster.receive(c.link, R"({"type":"ping","ts":7})");
  }
  settle();
  for (auto& c : clients)
    if (c.link != 0 && c.sink->closedWith == 0) EXPECT_TRUE(c.sink->got("pong"));
}

INSTANTIATE_TEST_SUITE_P(Seeds, ClusterSimulation,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));

}  // namespace
}  // namespace vroom::server::testing
