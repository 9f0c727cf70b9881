// RoomSession on the media path the server picks, with the test as the server and a scripted
// video server side: hello says `sfu` only when configured, `media-path {sfu}` replaces the mesh
// with one publisher and one subscriber connection (the mesh showing each member until the
// video server carries it), members' tiles come from the subscriber link's streams, a full
// rejoin starts on the mesh again.
#include "room_session.hpp"

#include <gtest/gtest.h>

#include <map>

#include "session_harness.hpp"

namespace vroom::testing {
namespace {

// Answers the session's publisher offer and offers it a subscriber link carrying `peers`'
// microphone and camera, as the server relays Janus's JSEP; Janus's candidates reach the
// session's connections directly (in reality they are in Janus's SDP).
struct ScriptedSfu {
  explicit ScriptedSfu(SessionHarness& h) : h(h) {}
  SessionHarness& h;
  std::unique_ptr<FakePeerConnection> pub, sub;
  std::vector<std::optional<IceCandidate>> held;  // the subscriber's, until its client is known

  static void candidatesTo(FakePeerConnection& from, FakePcNetwork& net, const std::string& sdp) {
    const std::uint64_t to = FakeSdp::parse(sdp)->pc;
    from.onIceCandidate([&net, to](const std::optional<IceCandidate>& c) {
      if (auto* pc = net.find(to)) pc->addIceCandidate(c, [](auto) {});
    });
  }
  void answerPublisher() {
    auto offers = h.sentOf<proto::SfuOffer>();
    ASSERT_EQ(offers.size(), 1u);
    pub = h.net.create("janus");
    candidatesTo(*pub, h.net, offers[0].sdp);
    pub->setRemoteDescription(SessionDescription{SdpType::Offer, offers[0].sdp}, [](auto) {});
    pub->setLocalDescription([this](Result<SessionDescription, PeerError> answer) {
      h.deliver(proto::SfuAnswer{answer.value().sdp});
    });
    for (auto& c : h.sentOf<proto::SfuCandidate>())
      if (c.link == proto::SfuLink::Publisher)
        pub->addIceCandidate(IceCandidate{c.candidate, c.sdpMid, int(c.sdpMLineIndex), ""},
                             [](auto) {});
  }
  void offerSubscriber(const std::vector<std::string>& peers) {
    sub = h.net.create("janus");
    sub->onIceCandidate([this](const std::optional<IceCandidate>& c) { held.push_back(c); });
    for (const auto& p : peers) {
      ASSERT_TRUE(sub->addTrack(p + "-mic", MediaKind::Audio, "janus"));
      ASSERT_TRUE(sub->addTrack(p + "-cam", MediaKind::Video, "janus"));
    }
    sub->setLocalDescription([this](Result<SessionDescription, PeerError> offer) {
      proto::SfuOffer out{offer.value().sdp, {}};
      const auto parsed = FakeSdp::parse(out.sdp);
      for (const auto& line : parsed->lines)
        out.streams.push_back({line.mid, line.trackId.substr(0, line.trackId.rfind('-')),
                               std::string(toString(line.kind))});
      h.deliver(out);
    });
    h.clock.advance(100);  // the offer is made, gathered and answered
    auto answers = h.sentOf<proto::SfuAnswer>();
    ASSERT_EQ(answers.size(), 1u);
    sub->setRemoteDescription(SessionDescription{SdpType::Answer, answers[0].sdp}, [](auto) {});
    candidatesTo(*sub, h.net, answers[0].sdp);
    h.clock.advance(10);
    for (const auto& c : held)
      if (auto* pc = h.net.find(FakeSdp::parse(answers[0].sdp)->pc))
        pc->addIceCandidate(c, [](auto) {});
    for (auto& c : h.sentOf<proto::SfuCandidate>())
      if (c.link == proto::SfuLink::Subscriber)
        sub->addIceCandidate(IceCandidate{c.candidate, c.sdpMid, int(c.sdpMLineIndex), ""},
                             [](auto) {});
    h.clock.advance(1000);
  }
};

// b and c on the mesh for real (negotiators over fake connections), each sending a microphone
// and a camera under its own stream.
void meshOfThree(SessionHarness& h) {
  h.joinConference({peer("b", "B"), peer("c", "C")});
  for (const char* id : {"b", "c"}) {
    auto& remote = h.addRemote(id);
    remote.pc->addTrack(std::string(id) + "-mic", MediaKind::Audio, std::string(id) + "-stream");
    remote.pc->addTrack(std::string(id) + "-cam", MediaKind::Video, std::string(id) + "-stream");
  }
  h.pump();
}

const MemberSnapshot* memberOf(const SessionSnapshot& s, const std::string& id) {
  for (const auto& m : s.members)
    if (m.id == id) return &m;
  return nullptr;
}

TEST(RoomSessionSfu, HelloSaysSfuUnlessConfiguredOff) {
  SessionHarness byDefault;
  ASSERT_TRUE(byDefault.session->join("room-1", "Self").ok());
  byDefault.socket.accept();
  ASSERT_EQ(byDefault.sentOf<proto::Hello>().size(), 1u);
  EXPECT_TRUE(byDefault.sentOf<proto::Hello>()[0].sfu);

  auto config = SessionHarness::defaultConfig();
  config.sfu = false;
  SessionHarness off(config);
  ASSERT_TRUE(off.session->join("room-1", "Self").ok());
  off.socket.accept();
  ASSERT_EQ(off.sentOf<proto::Hello>().size(), 1u);
  EXPECT_FALSE(off.sentOf<proto::Hello>()[0].sfu);
}

TEST(RoomSessionSfu, TheRoomMovingToTheSfuReplacesTheMeshWithOneUploadAndOneDownload) {
  SessionHarness h;
  meshOfThree(h);
  EXPECT_EQ(h.session->mediaPath(), proto::MediaPathKind::Mesh);
  EXPECT_EQ(h.session->peerConnectionCount(), 2u);  // the joiner offered to each member
  std::map<std::string, MemberSnapshot> onMesh;
  for (const auto& m : h.session->snapshot().members) onMesh[m.id] = m;
  ASSERT_EQ(onMesh["b"].connection, LinkState::Connected);
  ASSERT_EQ(onMesh["b"].cameraStreamId, "b-stream");

  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  h.clock.advance(100);
  EXPECT_EQ(h.session->mediaPath(), proto::MediaPathKind::Sfu);
  // Make before break: the mesh stays up, and shows every member, until the video server
  // carries them; the publisher opens beside it.
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 3u);
  EXPECT_EQ(h.session->peerConnectionCount(), 3u);
  for (const auto& m : h.session->snapshot().members) {
    EXPECT_EQ(m.connection, onMesh[m.id].connection) << m.id;
    EXPECT_EQ(m.cameraStreamId, onMesh[m.id].cameraStreamId) << m.id;
  }
  ScriptedSfu janus(h);
  janus.answerPublisher();
  h.clock.advance(1000);
  ASSERT_NE(h.session->sfuLinks(), nullptr);
  ASSERT_NE(h.session->sfuLinks()->publisher(), nullptr);
  EXPECT_TRUE(h.session->sfuLinks()->publisher()->settled());
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 3u);  // nobody carried yet: the mesh stays

  janus.offerSubscriber({"b", "c"});
  // Every tile is the video server's now; the mesh stays up a little longer, for the other
  // pages still showing our mesh media, and closes 8 s after the move began.
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 4u);
  for (const char* id : {"b", "c"})
    EXPECT_EQ(h.session->negotiatorFor(id), h.session->sfuLinks()->subscriber()) << id;
  h.clock.advance(6000);
  EXPECT_EQ(h.session->peerConnectionCount(), 2u);
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 2u);
  const auto snapshot = h.session->snapshot();
  for (const char* id : {"b", "c"}) {
    const MemberSnapshot* m = memberOf(snapshot, id);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->connection, LinkState::Connected) << id;
    EXPECT_FALSE(m->cameraStreamId.empty()) << id;
    EXPECT_NE(m->cameraStreamId, onMesh[id].cameraStreamId) << id;  // the video server's
    EXPECT_FALSE(m->audioStreamId.empty()) << id;
    EXPECT_EQ(h.session->negotiatorFor(id), h.session->sfuLinks()->subscriber());
  }
  // `signal` belongs to the mesh: nothing more goes to the members themselves.
  const auto signals = h.sentOf<proto::Signal>().size();
  h.clock.advance(20000);
  EXPECT_EQ(h.sentOf<proto::Signal>().size(), signals);
}

TEST(RoomSessionSfu, AMemberTheVideoServerDoesNotCarryYetKeepsItsMeshTileUntilTheMoveEnds) {
  SessionHarness h;
  meshOfThree(h);
  const MemberSnapshot cOnMesh = *memberOf(h.session->snapshot(), "c");
  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  h.clock.advance(100);
  ScriptedSfu janus(h);
  janus.answerPublisher();
  h.clock.advance(1000);
  janus.offerSubscriber({"b"});  // c's upload has not reached the video server yet
  h.clock.advance(100);
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 4u);  // two mesh, publisher, subscriber
  const auto snapshot = h.session->snapshot();
  EXPECT_EQ(h.session->negotiatorFor("b"), h.session->sfuLinks()->subscriber());
  EXPECT_NE(h.session->negotiatorFor("c"), h.session->sfuLinks()->subscriber());
  ASSERT_NE(memberOf(snapshot, "c"), nullptr);
  EXPECT_EQ(cOnMesh.cameraStreamId, "c-stream");
  EXPECT_EQ(memberOf(snapshot, "c")->connection, LinkState::Connected);  // its mesh link
  EXPECT_EQ(memberOf(snapshot, "c")->cameraStreamId, "c-stream");
  // A member who leaves meanwhile leaves both sets of links.
  h.deliver(proto::PeerLeft{"c"});
  EXPECT_EQ(h.session->snapshot().members.size(), 1u);
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 3u);

  // A member the video server has not carried when the move ends is its to show from then.
  SessionHarness g;
  meshOfThree(g);
  g.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  g.clock.advance(100);
  ScriptedSfu other(g);
  other.answerPublisher();
  g.clock.advance(1000);
  other.offerSubscriber({"b"});
  g.clock.advance(5000);
  EXPECT_EQ(g.net.openOwnedBy("self").size(), 4u);
  g.clock.advance(3000);
  EXPECT_EQ(g.net.openOwnedBy("self").size(), 2u);
  // c is the video server's now, whose link to it is still coming.
  EXPECT_EQ(memberOf(g.session->snapshot(), "c")->connection, LinkState::Connecting);
  EXPECT_EQ(g.session->negotiatorFor("c"), g.session->sfuLinks()->subscriber());
}

TEST(RoomSessionSfu, LayersFollowTheLayoutAndOnlyChangesAreSent) {
  SessionHarness h;
  h.joinConference({peer("b", "B"), peer("c", "C")});
  h.session->wantLayers({{"b", proto::Layer::Low}});  // on the mesh: no layers
  EXPECT_TRUE(h.sentOf<proto::SfuLayer>().empty());
  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  h.clock.advance(100);
  ScriptedSfu janus(h);
  janus.answerPublisher();
  h.clock.advance(1000);
  janus.offerSubscriber({"b", "c"});
  // b the large tile, c without a tile (no room left): c is paused, b high.
  h.session->wantLayers({{"b", proto::Layer::High}});
  auto layers = h.sentOf<proto::SfuLayer>();
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0], (proto::SfuLayer{"b", proto::Layer::High}));
  EXPECT_EQ(layers[1], (proto::SfuLayer{"c", proto::Layer::Off}));
  h.session->wantLayers({{"b", proto::Layer::High}});  // the same layout again: nothing
  EXPECT_EQ(h.sentOf<proto::SfuLayer>().size(), 2u);
  // The layout changed: c is the large tile now, b a thumbnail.
  h.session->wantLayers({{"b", proto::Layer::Low}, {"c", proto::Layer::High}});
  layers = h.sentOf<proto::SfuLayer>();
  ASSERT_EQ(layers.size(), 4u);
  EXPECT_EQ(layers[2], (proto::SfuLayer{"b", proto::Layer::Low}));
  EXPECT_EQ(layers[3], (proto::SfuLayer{"c", proto::Layer::High}));
}

// Janus lost under the call, then back: the server says so (sfu_unavailable), then moves the
// room again under a new epoch; the sentence on screen goes when the room is back.
TEST(RoomSessionSfu, TheVideoServerBackUnderANewEpochClearsItsError) {
  SessionHarness h;
  h.joinConference({peer("b", "B")});
  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  h.clock.advance(100);
  h.deliver(proto::ErrorMsg{proto::ErrorCode::SfuUnavailable, "video server unavailable", ""});
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::SfuUnavailable);
  EXPECT_NE(h.snap().error.message.find("until it is back"), std::string::npos);
  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 2});
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);
  EXPECT_EQ(h.session->mediaPath(), proto::MediaPathKind::Sfu);
}

TEST(RoomSessionSfu, AFullRejoinStartsOnTheMeshAgain) {
  SessionHarness h;
  h.joinConference({peer("b", "B")});
  h.deliver(proto::MediaPath{proto::MediaPathKind::Sfu, true, 1});
  h.clock.advance(100);
  ASSERT_EQ(h.session->mediaPath(), proto::MediaPathKind::Sfu);
  h.session->leave();
  EXPECT_EQ(h.session->mediaPath(), proto::MediaPathKind::Mesh);
  EXPECT_TRUE(h.net.openOwnedBy("self").empty());
}

}  // namespace
}  // namespace vroom::testing
