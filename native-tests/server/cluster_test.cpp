// Rooms shared across nodes through a real Redis (--redis): conference, room size, names and
// broadcast rules across two and three nodes, the create race (100 times, one winner), resume
// on another node, a node and a room's owner killed with SIGKILL, and Redis killed and
// restarted mid-call (messages sent meanwhile arrive).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "redis_bus.hpp"
#include "redis_process.hpp"
#include "running_server.hpp"

namespace vroom::server::testing {
namespace {

namespace fs = std::filesystem;

// A node as its own process, so that it can be killed with SIGKILL.
class NodeProcess {
 public:
  NodeProcess(const std::string& redisUrl, const std::string& node, const std::string& root)
      : port_(freeLoopbackPort()) {
    std::vector<std::string> args{
        VROOM_SERVER_BINARY, "--port", std::to_string(port_), "--root", root, "--redis", redisUrl,
        "--node-id",         node,     "--log-level",         "off"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(::posix_spawn(&pid_, VROOM_SERVER_BINARY, nullptr, nullptr, argv.data(), environ), 0);
  }
  ~NodeProcess() { kill(); }
  void kill() {
    if (pid_ == 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  pid_t pid_ = 0;
};

bool healthSays(std::uint16_t port, const std::string& line) {
  return httpGet(port, "/healthz").body.find(line) != std::string::npos;
}

template <class F>
bool eventually(F done, std::chrono::milliseconds timeout = 8s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class ClusterTest : public ::testing::Test {
 protected:
  ClusterTest() {
    root_ = fs::temp_directory_path() / ("vroom-cluster-" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  ~ClusterTest() override {
    nodes_.clear();
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  ServerConfig config(const std::string& node) {
    ServerConfig c;
    c.port = 0;
    c.root = root_.string();
    c.logLevel = log::Level::Off;
    c.redisUrl = redis_.url();
    c.nodeId = node;
    c.registry.limits.maxRoomSize = maxRoomSize_;
    c.registry.resumeWindow = resumeWindow_;
    return c;
  }
  // Starts nodes a, b, c... and waits until each has Redis.
  void startNodes(int n) {
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<RunningServer>(config(std::string(1, char('a' + i)))));
      const auto p = nodes_.back()->port();
      ASSERT_TRUE(eventually([&] { return healthSays(p, "redis up"); }));
    }
  }
  std::uint16_t port(int i) const { return nodes_[i]->port(); }

  RedisProcess redis_;
  fs::path root_;
  std::vector<std::unique_ptr<RunningServer>> nodes_;
  int maxRoomSize_ = 50;
  std::chrono::milliseconds resumeWindow_{60000};
};

json signalTo(const std::string& id, const std::string& sdp) {
  return json{{"type", "signal"}, {"to", id}, {"data", {{"sdp", sdp}}}};
}

TEST_F(ClusterTest, ConferenceAcrossTwoNodes) {
  startNodes(2);
  WsClient a, b;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(b.connect(port(1)), 101);
  a.enter("create", "r", "Ann");
  const json joined = b.enter("join", "r", "Bob");
  ASSERT_EQ(joined["members"].size(), 1u);
  EXPECT_EQ(joined["members"][0]["id"], a.id());
  const auto pj = a.readType("peer-joined");
  ASSERT_TRUE(pj);
  EXPECT_EQ((*pj)["peer"]["id"], b.id());

  // Signals both ways, chat, media: all through Redis.
  b.send(signalTo(a.id(), "offer"));
  auto sig = a.readType("signal");
  ASSERT_TRUE(sig);
  EXPECT_EQ((*sig)["from"], b.id());
  EXPECT_EQ((*sig)["data"]["sdp"], "offer");
  a.send(signalTo(b.id(), "answer"));
  sig = b.readType("signal");
  ASSERT_TRUE(sig);
  EXPECT_EQ((*sig)["from"], a.id());
  a.send(json{{"type", "chat"}, {"text", "hi Bob"}});
  const auto chat = b.readType("chat");
  ASSERT_TRUE(chat);
  EXPECT_EQ((*chat)["text"], "hi Bob");
  b.send(
      json{{"type", "media"}, {"media", {{"audio", false}, {"video", true}, {"screen", false}}}});
  const auto media = a.readType("peer-media");
  ASSERT_TRUE(media);
  EXPECT_EQ((*media)["id"], b.id());

  b.send(json{{"type", "leave"}});
  EXPECT_TRUE(b.readType("left"));
  const auto left = a.readType("peer-left");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["id"], b.id());
  const std::string metrics = httpGet(port(1), "/metrics").body;
  EXPECT_NE(metrics.find("vroom_cluster_redis_up 1"), std::string::npos);
  EXPECT_NE(metrics.find("vroom_cluster_handoffs_total 1"), std::string::npos) << metrics;
}

TEST_F(ClusterTest, RoomSizeAndNamesHoldAcrossThreeNodes) {
  maxRoomSize_ = 3;
  startNodes(3);
  WsClient c0, c1, c2, c3;
  ASSERT_EQ(c0.connect(port(0)), 101);
  ASSERT_EQ(c1.connect(port(1)), 101);
  ASSERT_EQ(c2.connect(port(2)), 101);
  ASSERT_EQ(c3.connect(port(2)), 101);
  c0.enter("create", "full", "Bob");
  const json second = c1.enter("join", "full", "Bob");
  EXPECT_EQ(second["self"]["name"], "Bob (2)");  // names stay distinct across nodes
  c2.enter("join", "full", "Cy");
  c3.hello();
  c3.send(json{{"type", "join"}, {"room", "full"}, {"name", "Dee"}});
  const auto refused = c3.readType("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)["code"], "room_full");
}

TEST_F(ClusterTest, BroadcastRulesAcrossNodes) {
  startNodes(3);
  WsClient host, v1, v2, rival;
  ASSERT_EQ(host.connect(port(0)), 101);
  ASSERT_EQ(v1.connect(port(1)), 101);
  ASSERT_EQ(v2.connect(port(2)), 101);
  ASSERT_EQ(rival.connect(port(2)), 101);
  // No broadcast live yet: a viewer is refused.
  v1.hello();
  v1.send(json{{"type", "join"}, {"room", "live"}, {"name", "V1"}, {"role", "viewer"}});
  const auto early = v1.readType("error");
  ASSERT_TRUE(early);
  EXPECT_EQ((*early)["code"], "room_not_found");

  host.enter("create", "live", "Host", json{{"mode", "broadcast"}});
  rival.hello();
  rival.send(json{{"type", "create"}, {"room", "live"}, {"name", "Rival"}, {"mode", "broadcast"}});
  const auto exists = rival.readType("error");
  ASSERT_TRUE(exists);
  EXPECT_EQ((*exists)["code"], "room_exists");

  v1.send(json{{"type", "join"}, {"room", "live"}, {"name", "V1"}, {"role", "viewer"}});
  const auto joined1 = v1.readType("joined");
  ASSERT_TRUE(joined1);
  ASSERT_EQ((*joined1)["members"].size(), 1u);  // viewers see the host only
  EXPECT_EQ((*joined1)["members"][0]["id"], host.id());
  const json joined2 = v2.enter("join", "live", "V2", json{{"role", "viewer"}});
  ASSERT_EQ(joined2["members"].size(), 1u);
  EXPECT_TRUE(host.readType("peer-joined"));
  EXPECT_TRUE(host.readType("peer-joined"));
  EXPECT_TRUE(v1.sync().empty());  // nothing about the other viewer
}

// A client that leaves a room owned by one node and enters a room owned by another moves to
// that node: the broadcast rules still hold (one host per id), and a room nobody owns yet is
// claimed for the client's own node.
TEST_F(ClusterTest, EnteringAnotherRoomMovesToItsOwner) {
  startNodes(3);
  WsClient owner, host, mover, other;
  ASSERT_EQ(owner.connect(port(0)), 101);
  ASSERT_EQ(host.connect(port(2)), 101);
  ASSERT_EQ(mover.connect(port(1)), 101);
  ASSERT_EQ(other.connect(port(0)), 101);
  owner.enter("create", "first", "Owner");                            // owned by node a
  host.enter("create", "show", "Host", json{{"mode", "broadcast"}});  // owned by node c
  mover.enter("join", "first", "Mover");  // on node b, relayed to node a
  mover.send(json{{"type", "leave"}});
  ASSERT_TRUE(mover.readType("left"));
  mover.send(json{{"type", "create"}, {"room", "show"}, {"name", "Mover"}, {"mode", "broadcast"}});
  EXPECT_EQ(mover.readType("error").value_or(json())["code"], "room_exists");
  mover.send(json{{"type", "join"}, {"room", "show"}, {"name", "Mover"}, {"role", "viewer"}});
  const auto watching = mover.readType("joined");
  ASSERT_TRUE(watching);
  EXPECT_EQ((*watching)["self"]["id"], mover.id());
  EXPECT_EQ((*watching)["members"][0]["id"], host.id());
  EXPECT_EQ(host.readType("peer-joined").value_or(json())["peer"]["id"], mover.id());
  mover.send(json{{"type", "leave"}});
  ASSERT_TRUE(mover.readType("left"));
  mover.send(json{{"type", "create"}, {"room", "fresh"}, {"name", "Mover"}});  // back home
  ASSERT_TRUE(mover.readType("joined"));
  other.hello();
  other.send(json{{"type", "join"}, {"room", "fresh"}, {"name", "Other"}});
  const auto joined = other.readType("joined");
  ASSERT_TRUE(joined);
  ASSERT_EQ((*joined)["members"].size(), 1u);
  EXPECT_EQ((*joined)["members"][0]["id"], mover.id());
  EXPECT_EQ(mover.readType("peer-joined").value_or(json())["peer"]["id"], (*joined)["self"]["id"]);
}

// Two hosts create the same broadcast id on two nodes at the same moment: exactly one wins.
TEST_F(ClusterTest, CreateRaceHasOneWinnerEveryTime) {
  startNodes(2);
  for (int i = 0; i < 100; ++i) {
    WsClient x, y;
    ASSERT_EQ(x.connect(port(0)), 101);
    ASSERT_EQ(y.connect(port(1)), 101);
    x.hello();
    y.hello();
    const std::string room = "race" + std::to_string(i);
    const json create{{"type", "create"}, {"room", room}, {"name", "H"}, {"mode", "broadcast"}};
    x.send(create);
    y.send(create);
    const auto rx = x.read(), ry = y.read();
    ASSERT_TRUE(rx && ry) << i;
    const int wins = ((*rx)["type"] == "joined") + ((*ry)["type"] == "joined");
    ASSERT_EQ(wins, 1) << i << ": " << rx->dump() << " / " << ry->dump();
    const json& loser = (*rx)["type"] == "joined" ? *ry : *rx;
    EXPECT_EQ(loser["code"], "room_exists");
    x.closeWith(1001);
    y.closeWith(1001);
  }
}

TEST_F(ClusterTest, ResumeOnAnotherNodeKeepsThePeer) {
  startNodes(3);
  WsClient a, b;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(b.connect(port(1)), 101);
  a.enter("create", "r", "Ann");
  b.enter("join", "r", "Bob");
  ASSERT_TRUE(a.readType("peer-joined"));
  std::this_thread::sleep_for(1500ms);  // the owner tells Redis the token's room
  b.dropTcp();
  WsClient b2;
  ASSERT_EQ(b2.connect(port(2)), 101);
  const json welcome = b2.hello(b.token());
  EXPECT_EQ(welcome["resumed"], true) << welcome.dump();
  const auto joined = b2.readType("joined");
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["self"]["id"], b.id());
  EXPECT_TRUE(a.sync().empty());  // no leave, no rejoin
  b2.send(json{{"type", "chat"}, {"text", "back"}});
  EXPECT_EQ(a.readType("chat").value_or(json())["text"], "back");
}

// Node b dies with SIGKILL: its client resumes through node a with the same id; the others
// see no leave.
TEST_F(ClusterTest, KilledNodesClientResumesElsewhere) {
  startNodes(1);
  NodeProcess b(redis_.url(), "b", root_.string());
  ASSERT_TRUE(eventually([&] { return healthSays(b.port(), "redis up"); }));
  WsClient a, bob;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(bob.connect(b.port()), 101);
  a.enter("create", "r", "Ann");
  bob.enter("join", "r", "Bob");
  ASSERT_TRUE(a.readType("peer-joined"));
  std::this_thread::sleep_for(1500ms);
  b.kill();
  WsClient bob2;
  ASSERT_EQ(bob2.connect(port(0)), 101);
  EXPECT_EQ(bob2.hello(bob.token())["resumed"], true);
  EXPECT_EQ(bob2.readType("joined").value_or(json())["self"]["id"], bob.id());
  // Past node b's heartbeat: still no leave.
  std::this_thread::sleep_for(4s);
  EXPECT_TRUE(a.sync().empty());
}

// A client coming back with its resume token through `port`, as a load balancer would send
// it, trying again until `deadline` (while its room's dead owner still looks alive, the node
// cannot answer and closes it with 1012 once it knows). Returns the client and its `joined`.
struct Resumed {
  std::unique_ptr<WsClient> client;
  json welcome;
  json joined;
};
Resumed resumeThrough(std::uint16_t port, const std::string& token,
                      std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    auto client = std::make_unique<WsClient>();
    if (client->connect(port) == 101 &&
        client->send(json{{"type", "hello"}, {"version", 1}, {"resumeToken", token}})) {
      const auto welcome = client->read(5s);
      if (welcome && welcome->value("type", "") == "welcome") {
        const auto joined = client->read();
        return {std::move(client), *welcome, joined.value_or(json())};
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  return {};
}

bool listsPeer(const json& joined, const std::string& id) {
  for (const auto& m : joined.value("members", json::array()))
    if (m.value("id", "") == id) return true;
  return false;
}

// The room's owner dies with SIGKILL: the next node to claim the room rebuilds it from the
// state the owner kept in Redis, and every member, wherever it was connected, resumes into it
// with its peer id, its name and its media state; nobody sees anyone leave or join.
TEST_F(ClusterTest, KilledOwnersRoomIsRebuiltWithTheSameIds) {
  startNodes(2);
  NodeProcess x(redis_.url(), "x", root_.string());
  ASSERT_TRUE(eventually([&] { return healthSays(x.port(), "redis up"); }));
  WsClient ann, bob, cy;
  ASSERT_EQ(ann.connect(x.port()), 101);
  ASSERT_EQ(bob.connect(port(0)), 101);
  ASSERT_EQ(cy.connect(port(1)), 101);
  ann.enter("create", "r", "Ann");  // node x owns the room
  bob.enter("join", "r", "Bob");
  cy.enter("join", "r", "Cy");
  ASSERT_TRUE(ann.readType("peer-joined"));
  ASSERT_TRUE(ann.readType("peer-joined"));
  ASSERT_TRUE(bob.readType("peer-joined"));
  cy.send(json{{"type", "media"}, {"media", {{"audio", false}, {"video", true}, {"screen", false}}}});
  ASSERT_TRUE(ann.readType("peer-media"));
  ASSERT_TRUE(bob.readType("peer-media"));
  std::this_thread::sleep_for(300ms);  // the owner saves a change within 50 ms
  const auto killed = std::chrono::steady_clock::now();
  x.kill();

  // Ann's socket died with node x: she comes back at once, through node a.
  auto ann2 = resumeThrough(port(0), ann.token(), killed + 8s);
  // Bob and Cy were relayed to x: their nodes notice x's heartbeat ran out and close them.
  EXPECT_EQ(bob.readUntilClosed(6s), 1012);
  EXPECT_EQ(cy.readUntilClosed(6s), 1012);
  auto bob2 = resumeThrough(port(0), bob.token(), killed + 8s);
  auto cy2 = resumeThrough(port(1), cy.token(), killed + 8s);
  const auto together = std::chrono::steady_clock::now() - killed;
  ASSERT_TRUE(ann2.client && bob2.client && cy2.client);
  for (const auto* r : {&ann2, &bob2, &cy2}) EXPECT_EQ(r->welcome["resumed"], true) << r->welcome;
  EXPECT_EQ(ann2.joined["self"]["id"], ann.id()) << ann2.joined;
  EXPECT_EQ(bob2.joined["self"]["id"], bob.id()) << bob2.joined;
  EXPECT_EQ(cy2.joined["self"]["id"], cy.id()) << cy2.joined;
  EXPECT_EQ(cy2.joined["self"]["media"]["audio"], false);
  EXPECT_TRUE(listsPeer(ann2.joined, bob.id()) && listsPeer(ann2.joined, cy.id()));
  EXPECT_TRUE(listsPeer(bob2.joined, ann.id()) && listsPeer(bob2.joined, cy.id()));
  EXPECT_TRUE(listsPeer(cy2.joined, ann.id()) && listsPeer(cy2.joined, bob.id()));
  EXPECT_LT(together, 5s) << "roster whole again "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(together).count()
                          << " ms after the kill";
  // The same room for all three, served by one node: chat reaches both others, and nobody
  // saw a leave or a join.
  cy2.client->send(json{{"type", "chat"}, {"text", "still here"}});
  for (auto* r : {&ann2, &bob2}) {
    std::vector<json> skipped;
    EXPECT_EQ(r->client->readType("chat", &skipped).value_or(json())["text"], "still here");
    for (const auto& f : skipped)
      EXPECT_TRUE(f["type"] != "peer-left" && f["type"] != "peer-joined") << f;
  }
  for (auto* r : {&ann2, &bob2, &cy2})
    for (const auto& f : r->client->sync())
      EXPECT_TRUE(f["type"] != "peer-left" && f["type"] != "peer-joined") << f;
  EXPECT_TRUE(httpGet(port(0), "/metrics").body.find("vroom_cluster_rooms_taken_over_total 1") !=
                  std::string::npos ||
              httpGet(port(1), "/metrics").body.find("vroom_cluster_rooms_taken_over_total 1") !=
                  std::string::npos);
}

// A dead node's clients that do not come back are removed once their resume window passes.
TEST_F(ClusterTest, DeadNodesMembersLeaveAfterTheResumeWindow) {
  resumeWindow_ = 1000ms;
  startNodes(1);
  NodeProcess b(redis_.url(), "b", root_.string());
  ASSERT_TRUE(eventually([&] { return healthSays(b.port(), "redis up"); }));
  WsClient a, bob;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(bob.connect(b.port()), 101);
  a.enter("create", "r", "Ann");
  bob.enter("join", "r", "Bob");
  ASSERT_TRUE(a.readType("peer-joined"));
  const auto killed = std::chrono::steady_clock::now();
  b.kill();
  const auto left = a.read(10s);  // one read: a timed-out read spoils the client's stream
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["type"], "peer-left");
  EXPECT_EQ((*left)["id"], bob.id());
  // heartbeat expiry (3 s) + a tick (1 s) + the window (1 s), with room for a busy machine
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 8s);
  EXPECT_NE(httpGet(port(0), "/metrics").body.find("vroom_cluster_nodes_lost_total 1"),
            std::string::npos);
}

TEST_F(ClusterTest, RedisKilledAndRestartedMidCall) {
  startNodes(2);
  WsClient a, b;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(b.connect(port(1)), 101);
  a.enter("create", "r", "Ann");
  b.enter("join", "r", "Bob");
  ASSERT_TRUE(a.readType("peer-joined"));
  redis_.kill();
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(eventually([&] { return healthSays(port(i), "redis down"); }));
    EXPECT_NE(httpGet(port(i), "/metrics").body.find("vroom_cluster_redis_up 0"),
              std::string::npos);
  }
  // Still serving: a newcomer on node a gets a room of its own.
  WsClient c;
  ASSERT_EQ(c.connect(port(0)), 101);
  c.enter("create", "while-down", "Cy");
  // Said while Redis is down: held by node a, delivered in order once it is back.
  a.send(json{{"type", "chat"}, {"text", "said while Redis was down"}});
  b.send(signalTo(a.id(), "offer while down"));
  ASSERT_TRUE(redis_.start());
  for (int i = 0; i < 2; ++i)
    EXPECT_TRUE(eventually([&] { return healthSays(port(i), "redis up"); }));
  EXPECT_EQ(b.readType("chat").value_or(json())["text"], "said while Redis was down");
  EXPECT_EQ(a.readType("signal").value_or(json())["data"]["sdp"], "offer while down");
  // Converged: messages cross nodes again, both ways, in the same call.
  a.send(json{{"type", "chat"}, {"text", "still here?"}});
  EXPECT_EQ(b.readType("chat").value_or(json())["text"], "still here?");
  b.send(signalTo(a.id(), "renegotiate"));
  EXPECT_EQ(a.readType("signal").value_or(json())["from"], b.id());
}

// Nothing a client sends through a relayed connection, and nothing anyone publishes on a
// node's Redis channel, may crash a node or stop the call.
TEST_F(ClusterTest, GarbageFromClientsAndFromRedisIsHarmless) {
  startNodes(2);
  WsClient a, b;
  ASSERT_EQ(a.connect(port(0)), 101);
  ASSERT_EQ(b.connect(port(1)), 101);
  a.enter("create", "r", "Ann");
  b.enter("join", "r", "Bob");
  ASSERT_TRUE(a.readType("peer-joined"));
  // Relayed to node a and judged there as a local client's text would be: 1007.
  for (const std::string text : {std::string("{\"type\":\"chat\",\"text\":\"\xff\xfe\"}"),
                                 std::string("frame\na/1\n{\"type\":\"chat\"}")}) {
    WsClient m;
    ASSERT_EQ(m.connect(port(1)), 101);
    m.enter("join", "r", "Mallory");
    m.sendText(text);
    EXPECT_EQ(m.readType("error").value_or(json())["code"], "invalid_json");
    EXPECT_EQ(m.readUntilClosed(), 1007);
  }

  boost::asio::io_context ioc;
  RedisBus intruder(ioc, {"127.0.0.1", redis_.port()});
  intruder.start();
  for (int i = 0; i < 200 && !intruder.up(); ++i) ioc.run_for(10ms);
  ASSERT_TRUE(intruder.up());
  for (const char* node : {"a", "b"}) {
    for (const std::string junk :
         {std::string(), std::string("frame"), std::string("frame\n"), std::string("frame\na/1"),
          std::string("frame\na/99999999999999999999999\nx"), std::string("close\nb/777777\n99999"),
          std::string("close\nb/777777\n-5\n") + std::string(500, 'r'), std::string("open\nk\n"),
          std::string("open\nk\nb\nnot-a-peer\n\n"), std::string("msg\nk\n{}"),
          std::string("gone\nk"), std::string("away\nnope"), std::string("\0\xff\n\0", 4)})
      intruder.publish(node, junk);
  }
  ioc.restart();
  ioc.run_for(300ms);
  intruder.stop();
  a.send(json{{"type", "chat"}, {"text", "still fine"}});
  EXPECT_EQ(b.readType("chat").value_or(json())["text"], "still fine");
  EXPECT_TRUE(healthSays(port(0), "redis up"));
  EXPECT_TRUE(healthSays(port(1), "redis up"));
}

}  // namespace
}  // namespace vroom::server::testing
