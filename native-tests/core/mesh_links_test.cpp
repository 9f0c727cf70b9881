// MeshLinks on fake peer connections: two link sets wired by their `signal` messages connect,
// record each member's tracks, follow the local tracks, replace dead connections (and give up
// after three), ignore strangers, report a refused connection, and close what they remove.
#include "mesh_links.hpp"

#include <algorithm>
#include <deque>
#include <memory>

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "fake_media_devices.hpp"
#include "fake_peer_connection.hpp"

namespace vroom {
namespace {

using fakes::FakeClock;
using fakes::FakeMediaDevices;
using fakes::FakePcNetwork;

protocol::PeerInfo info(std::string id, protocol::Role role = protocol::Role::Member) {
  protocol::PeerInfo out;
  out.id = std::move(id);
  out.role = role;
  return out;
}

// One side: its local tracks, its links, what they reported.
struct Side {
  Side(std::string id, FakeClock& clock, FakePcNetwork& net, std::string peer)
      : id(id), peer(std::move(peer)) {
    local.adopt(LocalMedia{id + "-stream", id + "-mic", id + "-cam"});
    links = std::make_unique<MeshLinks>(
        clock, net.factory(id), NegotiatorConfig{}, local,
        PeerLinkEvents{[this](const protocol::Message& m) { outbox.push_back(m); },
                       [this] { ++changes; },
                       [this](SessionError e) { errors.push_back(e.code); }});
    links->setSelf(LinkSelf{id, true, false});
  }
  std::string id, peer;
  FakeMediaDevices media;
  LocalMediaState local{media};
  std::unique_ptr<MeshLinks> links;
  std::deque<protocol::Message> outbox;
  int changes = 0;
  std::vector<SessionErrorCode> errors;
};

struct Mesh {
  FakeClock clock;
  FakePcNetwork net{clock};
  Side a{"a", clock, net, "b"};
  Side b{"b", clock, net, "a"};

  // Carries every queued `signal` to the other side, as the server would.
  void relay() {
    for (Side* from : {&a, &b}) {
      Side& to = from == &a ? b : a;
      while (!from->outbox.empty()) {
        auto* signal = std::get_if<protocol::Signal>(&from->outbox.front());
        ASSERT_NE(signal, nullptr);
        EXPECT_EQ(signal->to, to.id);
        to.links->handleSignal(protocol::Signal{"", from->id, signal->data});
        from->outbox.pop_front();
      }
    }
  }
  // Runs the clock and the relay until nothing is due within `ms`.
  void run(std::int64_t ms) {
    const std::int64_t end = clock.now() + ms;
    for (;;) {
      relay();
      if (clock.pendingTimers() == 0 || clock.nextDueMs() > end) break;
      clock.runOne();
    }
  }
  // b waits for a's offer; a offers; both settle.
  void connect() {
    b.links->addMember(info("a"), false);
    a.links->addMember(info("b"), true);
    run(2000);
  }
  bool connected() const {
    return a.links->state("b") == LinkState::Connected &&
           b.links->state("a") == LinkState::Connected;
  }
};

// The member's track ids, sorted (they arrive in m-line order).
std::vector<std::string> trackIds(const std::vector<RemoteTrack>& tracks) {
  std::vector<std::string> out;
  for (const auto& t : tracks) out.push_back(t.trackId);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MeshLinks, TheOffererConnectsOneConnectionPerMemberAndEachSideRecordsTheOthersTracks) {
  Mesh m;
  m.b.links->addMember(info("a"), false);  // waits for a's offer
  EXPECT_EQ(m.b.links->connectionCount(), 0u);
  EXPECT_EQ(m.b.links->state("a"), LinkState::Connecting);
  m.a.links->addMember(info("b"), true);
  EXPECT_EQ(m.a.links->connectionCount(), 1u);
  m.run(2000);
  ASSERT_TRUE(m.connected());
  EXPECT_EQ(m.b.links->connectionCount(), 1u);
  EXPECT_EQ(trackIds(m.b.links->remoteTracks("a")), (std::vector<std::string>{"a-cam", "a-mic"}));
  EXPECT_EQ(trackIds(m.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
  EXPECT_EQ(m.b.links->remoteTracks("a")[0].streamId, "a-stream");
  EXPECT_FALSE(m.a.links->restarting());
  EXPECT_GT(m.a.changes, 0);
  EXPECT_TRUE(m.a.links->negotiatorFor("b")->settled());
}

TEST(MeshLinks, LocalTrackChangesReachEverySenderWithoutANewConnection) {
  Mesh m;
  m.connect();
  ASSERT_TRUE(m.connected());
  const auto* pc = &m.a.links->negotiatorFor("b")->pc();
  m.a.local.adopt(LocalMedia{"a-stream-2", "", "a-cam-2"});
  m.a.links->localTracksChanged();
  m.run(2000);
  EXPECT_EQ(&m.a.links->negotiatorFor("b")->pc(), pc);
  const auto sending = static_cast<const fakes::FakePeerConnection*>(pc)->sendingTracks();
  EXPECT_NE(std::find(sending.begin(), sending.end(), "a-cam-2"), sending.end());
  EXPECT_EQ(std::find(sending.begin(), sending.end(), "a-cam"), sending.end());
}

TEST(MeshLinks, ADeadConnectionIsReplacedAndTheMemberReconnects) {
  Mesh m;
  m.net.makeNextDead("a");
  m.b.links->addMember(info("a"), false);
  m.a.links->addMember(info("b"), true);
  m.run(30000);
  EXPECT_EQ(m.net.createdFor("a"), 2);  // the dead one and its replacement
  EXPECT_TRUE(m.connected());
  EXPECT_EQ(m.a.links->connectionCount(), 1u);
}

TEST(MeshLinks, ReplacementsStopAfterThreeInARow) {
  Mesh m;
  m.net.makeNextDead("a", 10);
  m.b.links->addMember(info("a"), false);
  m.a.links->addMember(info("b"), true);
  m.run(120000);
  EXPECT_EQ(m.net.createdFor("a"), 1 + MeshLinks::kMaxReplacements);
  EXPECT_FALSE(m.connected());
}

TEST(MeshLinks, SignalsFromStrangersMakeNoConnection) {
  Mesh m;
  m.a.links->addMember(info("b"), true);  // b has not been told about a
  m.run(2000);
  EXPECT_EQ(m.b.links->connectionCount(), 0u);
  EXPECT_EQ(m.net.createdFor("b"), 0);
}

TEST(MeshLinks, AViewersTracksAreNeverRecorded) {
  Mesh m;
  m.a.links->addMember(info("b", protocol::Role::Viewer), true);
  m.b.links->addMember(info("a", protocol::Role::Host), false);
  m.run(2000);
  ASSERT_TRUE(m.connected());
  EXPECT_TRUE(m.a.links->remoteTracks("b").empty());
  EXPECT_FALSE(m.b.links->remoteTracks("a").empty());
}

TEST(MeshLinks, ARefusedConnectionIsReportedAndRemovingAMemberClosesItsConnection) {
  Mesh m;
  m.net.failNextCreate();
  m.a.links->addMember(info("b"), true);
  EXPECT_EQ(m.a.errors, std::vector<SessionErrorCode>{SessionErrorCode::PeerConnectionUnavailable});
  EXPECT_EQ(m.a.links->connectionCount(), 0u);
  m.a.links->removeMember("b");
  m.a.links->addMember(info("b"), true);
  m.b.links->addMember(info("a"), false);
  m.run(2000);
  ASSERT_TRUE(m.connected());
  m.a.links->removeMember("b");
  EXPECT_EQ(m.a.links->connectionCount(), 0u);
  EXPECT_TRUE(m.net.openOwnedBy("a").empty());
  EXPECT_EQ(m.a.links->state("b"), LinkState::Connecting);
  EXPECT_TRUE(m.a.links->remoteTracks("b").empty());
}

TEST(MeshLinks, IceServersReachNewAndLiveConnections) {
  Mesh m;
  m.a.links->setIceServers({protocol::IceServer{{"turn:one"}, "u", "p"}});
  m.a.links->addMember(info("b"), true);
  ASSERT_EQ(m.net.iceServersSeen().size(), 1u);
  EXPECT_EQ(m.net.iceServersSeen()[0].at(0).urls.at(0), "turn:one");
  m.a.links->setIceServers({protocol::IceServer{{"turn:two"}, "u", "p"}});
  const auto& pc =
      static_cast<const fakes::FakePeerConnection&>(m.a.links->negotiatorFor("b")->pc());
  EXPECT_EQ(pc.iceServers().at(0).urls.at(0), "turn:two");
}

TEST(MeshLinks, ABrokenPathIsReportedAsRestartingUntilItHeals) {
  Mesh m;
  m.connect();
  ASSERT_TRUE(m.connected());
  m.net.setPathBroken("a", "b", true);
  m.run(8000);
  EXPECT_TRUE(m.a.links->restarting());
  m.net.setPathBroken("a", "b", false);
  m.run(30000);
  EXPECT_FALSE(m.a.links->restarting());
  EXPECT_TRUE(m.connected());
}

}  // namespace
}  // namespace vroom
