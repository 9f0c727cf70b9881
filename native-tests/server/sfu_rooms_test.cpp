// Rooms on the video server, end to end: scripted clients speak vroom's protocol to a real
// vroom-server (in process; two nodes and a real Redis for the cluster) that drives a real
// Janus, with media from werift peers. Everything
// runs in a network namespace of the test's own (janus_netns.hpp): Janus never gathers ICE on
// loopback, and no candidate may leave the namespace.
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "janus_netns.hpp"
#include "janus_process.hpp"
#include "janus_werift_process.hpp"
#include "loopback_client.hpp"
#include "redis_process.hpp"
#include "running_server.hpp"
#include "sdp_ice.hpp"

namespace vroom::server {
namespace {

using testing::httpGet;
using testing::iceUfrag;
using testing::JanusProcess;
using testing::RedisProcess;
using testing::RunningServer;
using testing::TestNetns;
using testing::WeriftPeer;
using testing::withNewIceCredentials;
using testing::WsClient;
using json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::optional<json> lineJson(const std::optional<std::string>& line) {
  if (!line) return std::nullopt;
  json j = json::parse(*line, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// A member: its WebSocket and the peer id the server gave it.
struct Client {
  WsClient ws;
  std::string id;

  // hello (saying whether it can use the video server) and join; false if not joined.
  bool enter(std::uint16_t port, const std::string& room, const std::string& name, bool sfu,
             const json& extra = json::object()) {
    json join{{"type", "join"}, {"room", room}, {"name", name}};
    join.update(extra);
    return into(port, sfu, join);
  }
  // hello (with sfu) and create: the host of a new broadcast; false if not joined.
  bool host(std::uint16_t port, const std::string& room, const std::string& name) {
    return into(port, true,
                json{{"type", "create"}, {"room", room}, {"name", name}, {"mode", "broadcast"}});
  }
  // hello, then `request` (join or create); false if not joined.
  bool into(std::uint16_t port, bool sfu, const json& request) {
    if (ws.connect(port) != 101) return false;
    json hello{{"type", "hello"}, {"version", 1}};
    if (sfu) hello["sfu"] = true;
    ws.send(hello);
    if (!ws.readType("welcome")) return false;
    ws.send(request);
    auto joined = ws.readType("joined");
    if (!joined) return false;
    id = (*joined)["self"].value("id", "");
    return true;
  }
  // The next frame of `type` within `timeout` (others skipped).
  std::optional<json> next(const std::string& type, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto frame = ws.read(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!frame) return std::nullopt;
      if (frame->value("type", "") == type) return frame;
    }
    return std::nullopt;
  }
  // Every frame that arrived within `window`: waits, then a ping/pong round trip (a read that
  // timed out would leave the WebSocket unusable).
  std::vector<json> drain(std::chrono::milliseconds window) {
    std::this_thread::sleep_for(window);
    return ws.sync();
  }
};

class JanusSfuRooms : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(std::string(VROOM_SOURCE_DIR) + "/node_modules/werift"))
      GTEST_SKIP() << "node_modules/werift is missing (scripts/setup installs it)";
    ASSERT_TRUE(netns_.error().empty()) << netns_.error();
    site_ = fs::temp_directory_path() / ("vroom_sfu_site_" + std::to_string(::getpid()));
    fs::create_directories(site_);
    std::ofstream(site_ / "index.html") << "<h1>vroom</h1>";
  }
  void TearDown() override {
    server_.reset();
    if (janus_) janus_->stop();
    std::error_code ec;
    fs::remove_all(site_, ec);
  }
  void startJanus() {
    janus_ = std::make_unique<JanusProcess>(60, TestNetns::kAddress);
    ASSERT_TRUE(janus_->start()) << janus_->log();
  }
  // The server in this namespace, its Janus at `janusUrl`.
  void startServer(const std::string& janusUrl) {
    ServerConfig config;
    config.port = 0;
    config.root = site_.string();
    config.logLevel = std::getenv("VROOM_TEST_LOG") ? log::Level::Info : log::Level::Off;
    config.sfu.janusUrl = janusUrl;
    config.sfu.janusSecret = JanusProcess::kSecret;
    server_ = std::make_unique<RunningServer>(std::move(config));
  }
  std::uint16_t port() const { return server_->port(); }

  // Joins `count` members to `room`; each gets `media-path` sfu when the room moves.
  void fill(std::vector<std::unique_ptr<Client>>& members, const std::string& room, int count,
            bool sfu) {
    for (int i = 0; i < count; ++i) {
      members.push_back(std::make_unique<Client>());
      ASSERT_TRUE(members.back()->enter(port(), room, "M" + std::to_string(i), sfu));
    }
  }

  TestNetns netns_;
  fs::path site_;
  std::unique_ptr<JanusProcess> janus_;
  std::unique_ptr<RunningServer> server_;
};

// A werift publisher through the server: its offer as `sfu-offer` (kept in `sent`), the
// answer back.
::testing::AssertionResult publish(Client& member, WeriftPeer& werift, std::int64_t epoch,
                                   std::string* sent = nullptr) {
  const auto offer = lineJson(werift.readLine(20s));
  if (!offer || offer->value("type", "") != "offer")
    return ::testing::AssertionFailure() << "no offer from werift";
  if (sent) *sent = offer->value("sdp", "");
  member.ws.send(json{{"type", "sfu-offer"}, {"sdp", (*offer)["sdp"]}});
  const auto answer = member.next("sfu-answer", 15s);
  if (!answer) return ::testing::AssertionFailure() << "no sfu-answer (epoch " << epoch << ")";
  werift.write(json{{"type", "answer"}, {"sdp", (*answer)["sdp"]}}.dump());
  return ::testing::AssertionSuccess();
}

// RTP packets a werift subscriber counts, once both of its audio and video grew by more than
// `more` past `from` (or after 20 s, as they are).
std::pair<std::uint64_t, std::uint64_t> countMedia(
    WeriftPeer& werift, std::uint64_t more = 10,
    std::pair<std::uint64_t, std::uint64_t> from = {}) {
  std::uint64_t audio = from.first, video = from.second;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline &&
         (audio <= from.first + more || video <= from.second + more)) {
    if (auto line = lineJson(werift.readLine(500ms)); line && line->value("event", "") == "media") {
      audio = line->value("audio", 0ull);
      video = line->value("video", 0ull);
    }
  }
  return {audio, video};
}

// The subscriber link: the server's `sfu-offer` naming `publisher`'s audio and video (kept in
// `offered`), answered by a werift subscriber, which then counts RTP from that publisher.
::testing::AssertionResult receives(Client& member, const std::string& publisher,
                                    std::unique_ptr<WeriftPeer>& werift,
                                    std::string* offered = nullptr) {
  std::optional<json> offer;
  for (int i = 0; i < 5 && !offer; ++i) {
    offer = member.next("sfu-offer", 15s);
    if (!offer) break;
    int named = 0;
    for (const auto& stream : (*offer)["streams"]) {
      if (stream.contains("feed") || stream.contains("room"))
        return ::testing::AssertionFailure() << "a Janus id reached a client: " << offer->dump();
      if (stream.value("peer", "") == publisher) ++named;
    }
    if (named < 2) {  // an offer before this publisher's streams: answer it and wait for more
      member.ws.send(json{{"type", "sfu-answer"}, {"sdp", "v=0\r\n"}});
      offer.reset();
    }
  }
  if (!offer) return ::testing::AssertionFailure() << "no sfu-offer naming " << publisher;
  if (offered) *offered = offer->value("sdp", "");
  werift = std::make_unique<WeriftPeer>("subscribe");
  werift->write(json{{"type", "offer"}, {"sdp", (*offer)["sdp"]}}.dump());
  const auto answer = lineJson(werift->readLine(20s));
  if (!answer || answer->value("type", "") != "answer")
    return ::testing::AssertionFailure() << "no answer from werift";
  member.ws.send(json{{"type", "sfu-answer"}, {"sdp", (*answer)["sdp"]}});
  const auto [audio, video] = countMedia(*werift);
  if (audio <= 10 || video <= 10)
    return ::testing::AssertionFailure() << "received audio=" << audio << " video=" << video;
  return ::testing::AssertionSuccess();
}

// Five members who can all use the video server: the fifth moves the room (mesh-max 4), every
// member is told, a publisher's RTP reaches another member through Janus, and nobody can ask
// for a layer of a peer of another room. A room of pages that cannot use the SFU stays mesh.
TEST_F(JanusSfuRooms, FifthMemberMovesTheRoomAndMediaFlowsThroughJanus) {
  startJanus();
  startServer(janus_->url());
  std::vector<std::unique_ptr<Client>> members;
  fill(members, "big", 4, true);
  for (auto& member : members) {  // four: still peer to peer
    for (const auto& frame : member->drain(300ms))
      EXPECT_NE(frame.value("type", ""), "media-path") << frame.dump();
  }
  fill(members, "big", 1, true);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto path = members[i]->next("media-path");
    ASSERT_TRUE(path) << "member " << i;
    EXPECT_EQ(path->value("path", ""), "sfu");
    EXPECT_TRUE(path->value("publish", false));
    EXPECT_EQ(path->value("epoch", 0), 1);
  }

  // A legacy room of five next to it stays on the mesh, signals relayed as before.
  std::vector<std::unique_ptr<Client>> legacy;
  fill(legacy, "old", 5, false);
  legacy[0]->ws.send(json{{"type", "signal"}, {"to", legacy[1]->id}, {"data", {{"x", 1}}}});
  ASSERT_TRUE(legacy[1]->next("signal"));
  for (const auto& frame : legacy[4]->drain(300ms))
    EXPECT_NE(frame.value("type", ""), "media-path");
  // Their SFU messages are refused, and a layer of a peer of another room is unknown.
  legacy[0]->ws.send(json{{"type", "sfu-offer"}, {"sdp", "v=0"}});
  const auto refused = legacy[0]->next("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->value("code", ""), "not_allowed");
  members[1]->ws.send(json{{"type", "sfu-layer"}, {"peer", legacy[1]->id}, {"layer", "low"}});
  const auto unknown = members[1]->next("error");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->value("code", ""), "unknown_peer") << unknown->dump();

  WeriftPeer publisher("publish");
  ASSERT_TRUE(publish(*members[0], publisher, 1));
  std::unique_ptr<WeriftPeer> subscriber;
  EXPECT_TRUE(receives(*members[3], members[0]->id, subscriber));
  // Uploads follow what is watched: the publisher hears the highest layer any receiver asked
  // for (Low for those that have not asked yet), each time it changes.
  const auto first = members[0]->next("sfu-send-layer");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->value("layer", ""), "low");
  auto layerAsked = [&](Client& by, const std::string& layer) {
    by.ws.send(json{{"type", "sfu-layer"}, {"peer", members[0]->id}, {"layer", layer}});
  };
  layerAsked(*members[3], "off");
  for (const auto& frame : members[3]->drain(300ms))
    EXPECT_NE(frame.value("type", ""), "error") << frame.dump();
  for (const auto& frame : members[0]->drain(0ms))  // Low still: nothing new
    EXPECT_NE(frame.value("type", ""), "sfu-send-layer") << frame.dump();
  layerAsked(*members[1], "high");
  auto told = members[0]->next("sfu-send-layer");
  ASSERT_TRUE(told);
  EXPECT_EQ(told->value("layer", ""), "high");
  layerAsked(*members[2], "medium");  // below what member 1 watches: nothing new
  layerAsked(*members[1], "low");
  told = members[0]->next("sfu-send-layer");
  ASSERT_TRUE(told);
  EXPECT_EQ(told->value("layer", ""), "medium");
  members[2]->ws.send(json{{"type", "leave"}});  // the one who watched most left
  told = members[0]->next("sfu-send-layer");
  ASSERT_TRUE(told);
  EXPECT_EQ(told->value("layer", ""), "low");
  if (subscriber) subscriber->stop();
  publisher.stop();
}

// A broadcast moves to Janus at once; the host publishes, a viewer's upload is refused.
TEST_F(JanusSfuRooms, BroadcastViewerCannotPublish) {
  startJanus();
  startServer(janus_->url());
  Client creator;
  ASSERT_TRUE(creator.host(port(), "live", "Host"));
  const auto hostPath = creator.next("media-path");
  ASSERT_TRUE(hostPath);
  EXPECT_EQ(hostPath->value("path", ""), "sfu");
  EXPECT_TRUE(hostPath->value("publish", false));
  Client viewer;
  ASSERT_TRUE(viewer.enter(port(), "live", "Viewer", true, json{{"role", "viewer"}}));
  const auto viewerPath = viewer.next("media-path");
  ASSERT_TRUE(viewerPath);
  EXPECT_FALSE(viewerPath->value("publish", true));
  viewer.ws.send(json{{"type", "sfu-offer"}, {"sdp", "v=0\r\n"}});
  const auto refused = viewer.next("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->value("code", ""), "not_allowed");
  EXPECT_EQ(refused->value("offendingType", ""), "sfu-offer");
}

// A page's ICE restarts through the server (docs/protocol.md, "Media path"): the host's second
// sfu-offer (new ICE credentials) is answered, not refused; a viewer's sfu-restart brings an
// sfu-offer with new ICE credentials for the same streams, and media keeps coming once it is
// answered.
TEST_F(JanusSfuRooms, BothLinksRestartIceThroughTheServer) {
  startJanus();
  startServer(janus_->url());
  Client host;
  ASSERT_TRUE(host.host(port(), "live", "Host"));
  ASSERT_TRUE(host.next("media-path"));
  WeriftPeer publisher("publish");
  std::string hostOffer;
  ASSERT_TRUE(publish(host, publisher, 1, &hostOffer));
  Client viewer;
  ASSERT_TRUE(viewer.enter(port(), "live", "Viewer", true, json{{"role", "viewer"}}));
  ASSERT_TRUE(viewer.next("media-path"));
  std::unique_ptr<WeriftPeer> subscriber;
  std::string firstOffer;
  ASSERT_TRUE(receives(viewer, host.id, subscriber, &firstOffer));

  host.ws.send(json{{"type", "sfu-offer"}, {"sdp", withNewIceCredentials(hostOffer)}});
  const auto answer = host.next("sfu-answer", 15s);
  ASSERT_TRUE(answer) << "the host's restart offer was not answered";
  EXPECT_NE(iceUfrag((*answer)["sdp"]), "");

  viewer.ws.send(json{{"type", "sfu-restart"}});
  const auto offer = viewer.next("sfu-offer", 15s);
  ASSERT_TRUE(offer) << "no offer after sfu-restart";
  EXPECT_NE(iceUfrag((*offer)["sdp"]), iceUfrag(firstOffer));
  int named = 0;
  for (const auto& stream : (*offer)["streams"]) named += stream.value("peer", "") == host.id;
  EXPECT_EQ(named, 2) << offer->dump();
  const auto before = countMedia(*subscriber, 0);
  subscriber->write(json{{"type", "offer"}, {"sdp", (*offer)["sdp"]}}.dump());
  const auto werift = lineJson(subscriber->readLine(20s));
  ASSERT_TRUE(werift && werift->value("type", "") == "answer");
  viewer.ws.send(json{{"type", "sfu-answer"}, {"sdp", (*werift)["sdp"]}});
  const auto after = countMedia(*subscriber, 10, before);
  EXPECT_GT(after.first, before.first + 10);
  EXPECT_GT(after.second, before.second + 10);
  for (const auto& frame : viewer.drain(300ms))
    EXPECT_NE(frame.value("type", ""), "error") << frame.dump();
  subscriber->stop();
  publisher.stop();
}

// Janus down at start: the room that should move gets the clear error and stays on the mesh;
// a small room is not bothered. When Janus comes up, the room moves.
TEST_F(JanusSfuRooms, JanusDownGivesAClearErrorAndMeshKeepsWorking) {
  janus_ = std::make_unique<JanusProcess>(60, TestNetns::kAddress);  // configured, not started
  startServer(janus_->url());
  std::vector<std::unique_ptr<Client>> small;
  fill(small, "small", 2, true);
  small[0]->ws.send(json{{"type", "signal"}, {"to", small[1]->id}, {"data", {{"x", 1}}}});
  ASSERT_TRUE(small[1]->next("signal"));
  std::vector<std::unique_ptr<Client>> members;
  fill(members, "big", 5, true);
  for (auto& member : members) {
    const auto error = member->next("error");
    ASSERT_TRUE(error);
    EXPECT_EQ(error->value("code", ""), "sfu_unavailable");
    EXPECT_NE(error->value("message", "").find("The video server is unavailable"),
              std::string::npos);
  }
  for (const auto& frame : small[0]->drain(300ms))
    EXPECT_NE(frame.value("type", ""), "error") << frame.dump();
  ASSERT_TRUE(janus_->start()) << janus_->log();
  for (auto& member : members) {
    const auto path = member->next("media-path", 15s);
    ASSERT_TRUE(path);
    EXPECT_EQ(path->value("path", ""), "sfu");
  }
}

// Janus killed under a live SFU room and started again: members are told, then get a new
// epoch, republish, and media flows again.
TEST_F(JanusSfuRooms, JanusRestartRebuildsTheRoom) {
  startJanus();
  startServer(janus_->url());
  std::vector<std::unique_ptr<Client>> members;
  fill(members, "big", 5, true);
  for (auto& member : members) ASSERT_TRUE(member->next("media-path"));
  janus_->kill();
  for (auto& member : members) {
    const auto error = member->next("error", 10s);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->value("code", ""), "sfu_unavailable");
  }
  ASSERT_TRUE(janus_->start()) << janus_->log();
  for (auto& member : members) {
    const auto path = member->next("media-path", 15s);
    ASSERT_TRUE(path);
    EXPECT_EQ(path->value("epoch", 0), 2);
  }
  WeriftPeer publisher("publish");
  ASSERT_TRUE(publish(*members[2], publisher, 2));
  std::unique_ptr<WeriftPeer> subscriber;
  EXPECT_TRUE(receives(*members[4], members[2]->id, subscriber));
  if (subscriber) subscriber->stop();
  publisher.stop();
}

// Two nodes sharing their rooms through a real Redis (--redis), one Janus: a broadcast hosted
// on node a; a viewer on node b is handed to the room's owner with what its hello said (it can
// use the video server), so it is on the video server's path, may not publish, and receives
// the host's media relayed through both nodes. A viewer of another broadcast names this
// host's feed: refused, nothing reaches it.
TEST_F(JanusSfuRooms, AViewerOnAnotherNodeOfTheClusterReceivesAndCannotPublish) {
  startJanus();
  RedisProcess redis;
  std::vector<std::unique_ptr<RunningServer>> nodes;
  for (const char* node : {"a", "b"}) {
    ServerConfig config;
    config.port = 0;
    config.root = site_.string();
    config.logLevel = std::getenv("VROOM_TEST_LOG") ? log::Level::Info : log::Level::Off;
    config.sfu.janusUrl = janus_->url();
    config.sfu.janusSecret = JanusProcess::kSecret;
    config.redisUrl = redis.url();
    config.nodeId = node;
    nodes.push_back(std::make_unique<RunningServer>(std::move(config)));
    const std::uint16_t p = nodes.back()->port();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (httpGet(p, "/healthz").body.find("redis up") == std::string::npos) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "node " << node << " never reached Redis";
      std::this_thread::sleep_for(50ms);
    }
  }
  Client host;
  ASSERT_TRUE(host.host(nodes[0]->port(), "live", "Host"));
  ASSERT_TRUE(host.next("media-path", 15s));
  WeriftPeer publisher("publish");
  ASSERT_TRUE(publish(host, publisher, 1));

  Client viewer;
  ASSERT_TRUE(viewer.enter(nodes[1]->port(), "live", "Viewer", true, json{{"role", "viewer"}}));
  const auto path = viewer.next("media-path", 15s);
  ASSERT_TRUE(path) << "no media-path for the viewer on the other node";
  EXPECT_EQ(path->value("path", ""), "sfu");
  EXPECT_FALSE(path->value("publish", true));
  std::unique_ptr<WeriftPeer> subscriber;
  EXPECT_TRUE(receives(viewer, host.id, subscriber));
  viewer.ws.send(json{{"type", "sfu-offer"}, {"sdp", "v=0\r\n"}});
  const auto refused = viewer.next("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->value("code", ""), "not_allowed");
  EXPECT_EQ(refused->value("offendingType", ""), "sfu-offer");

  // A viewer of another broadcast owned by node a, entered through node b, names this host's
  // feed: its room has no such peer, so nothing of the host reaches it and the host is not
  // asked for more.
  Client otherHost;
  ASSERT_TRUE(otherHost.host(nodes[0]->port(), "live2", "OtherHost"));
  Client stranger;
  ASSERT_TRUE(stranger.enter(nodes[1]->port(), "live2", "Stranger", true, json{{"role", "viewer"}}));
  ASSERT_TRUE(stranger.next("media-path", 15s));
  stranger.ws.send(json{{"type", "sfu-layer"}, {"peer", host.id}, {"layer", "high"}});
  const auto unknown = stranger.next("error");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->value("code", ""), "unknown_peer") << unknown->dump();
  for (const auto& frame : stranger.drain(300ms))
    EXPECT_EQ(frame.dump().find(host.id), std::string::npos) << frame.dump();
  for (const auto& frame : host.drain(300ms))
    EXPECT_FALSE(frame.value("type", "") == "sfu-send-layer" && frame.value("layer", "") == "high")
        << frame.dump();
  if (subscriber) subscriber->stop();
  publisher.stop();
}

}  // namespace
}  // namespace vroom::server
