// The fake peer connection must behave like the browser where negotiation depends on it;
// these tests pin the model (states, rollback, transceiver reuse, ICE) without the core.
#include "fake_peer_connection.hpp"

#include <gtest/gtest.h>

namespace vroom::fakes {
namespace {

struct Fixture : ::testing::Test {
  FakeClock clock;
  FakePcNetwork net{clock};
  std::unique_ptr<FakePeerConnection> a = net.create("a");
  std::unique_ptr<FakePeerConnection> b = net.create("b");
  std::vector<std::optional<IceCandidate>> aCandidates, bCandidates;

  void SetUp() override {
    a->onIceCandidate([this](const auto& c) { aCandidates.push_back(c); });
    b->onIceCandidate([this](const auto& c) { bCandidates.push_back(c); });
  }

  SessionDescription sld(FakePeerConnection& pc) {
    std::optional<SessionDescription> out;
    pc.setLocalDescription([&](Result<SessionDescription, PeerError> r) {
      ASSERT_TRUE(r.ok()) << r.error().message;
      out = r.value();
    });
    clock.runReady();
    EXPECT_TRUE(out);
    return out.value_or(SessionDescription{});
  }
  std::optional<PeerError> srd(FakePeerConnection& pc, const SessionDescription& d) {
    std::optional<PeerError> error{PeerError{"pending", ""}};
    pc.setRemoteDescription(d, [&](std::optional<PeerError> e) { error = e; });
    clock.runReady();
    return error;
  }
  void exchangeCandidates() {
    for (auto& c : aCandidates) b->addIceCandidate(c, [](auto) {});
    for (auto& c : bCandidates) a->addIceCandidate(c, [](auto) {});
    aCandidates.clear();
    bCandidates.clear();
    clock.runReady();
  }
};

TEST_F(Fixture, OfferAnswerAndCandidatesConnect) {
  int needed = 0;
  a->onNegotiationNeeded([&] { ++needed; });
  ASSERT_TRUE(a->addTrack("mic", MediaKind::Audio, "s").ok());
  ASSERT_TRUE(a->addTrack("cam", MediaKind::Video, "s").ok());
  clock.runReady();
  EXPECT_EQ(needed, 1);  // one event for both changes
  auto offer = sld(*a);
  EXPECT_EQ(a->signalingState(), SignalingState::HaveLocalOffer);
  std::vector<RemoteTrack> tracks;
  b->onTrack([&](const RemoteTrack& t) { tracks.push_back(t); });
  EXPECT_FALSE(srd(*b, offer));
  EXPECT_EQ(b->signalingState(), SignalingState::HaveRemoteOffer);
  EXPECT_EQ(tracks.size(), 2u);
  auto answer = sld(*b);
  EXPECT_EQ(answer.type, SdpType::Answer);
  EXPECT_FALSE(srd(*a, answer));
  EXPECT_EQ(a->signalingState(), SignalingState::Stable);
  EXPECT_EQ(b->signalingState(), SignalingState::Stable);
  EXPECT_NE(a->iceConnectionState(), IceConnectionState::Connected);  // no candidates yet
  clock.runReady();
  exchangeCandidates();
  clock.runReady();
  EXPECT_EQ(a->iceConnectionState(), IceConnectionState::Connected);
  EXPECT_EQ(b->iceConnectionState(), IceConnectionState::Connected);
  EXPECT_EQ(needed, 1);  // the answerer answered recvonly: nothing more to negotiate
  // b has no tracks: its answer is recvonly, a receives nothing.
  EXPECT_TRUE(b->sendingTracks().empty());
}

TEST_F(Fixture, CandidateBeforeRemoteDescriptionIsRejected) {
  std::optional<PeerError> error;
  b->addIceCandidate(IceCandidate{"candidate:x", "0", 0, ""},
                     [&](std::optional<PeerError> e) { error = e; });
  clock.runReady();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->name, "InvalidStateError");
}

TEST_F(Fixture, OfferInHaveLocalOfferRollsBackImplicitly) {
  a->addTrack("mic-a", MediaKind::Audio, "sa");
  b->addTrack("mic-b", MediaKind::Audio, "sb");
  auto offerA = sld(*a);
  sld(*b);
  ASSERT_EQ(b->signalingState(), SignalingState::HaveLocalOffer);
  EXPECT_FALSE(srd(*b, offerA));
  EXPECT_EQ(b->signalingState(), SignalingState::HaveRemoteOffer);
  auto answer = sld(*b);
  // b's track rode on a's m-line: one m-line, both directions.
  auto parsed = FakeSdp::parse(answer.sdp);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->lines.size(), 1u);
  EXPECT_EQ(parsed->lines[0].direction, Direction::SendRecv);
  EXPECT_EQ(parsed->lines[0].trackId, "mic-b");
}

TEST_F(Fixture, AnswerInStableAndStaleAnswerFail) {
  a->addTrack("mic", MediaKind::Audio, "s");
  auto offer1 = sld(*a);
  srd(*b, offer1);
  auto answer1 = sld(*b);
  auto offer2 = sld(*a);  // a re-offers before the answer arrives
  (void)offer2;
  auto error = srd(*a, answer1);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->name, "InvalidAccessError");
  error = srd(*b, answer1);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->name, "InvalidStateError");
}

TEST_F(Fixture, RestartIceTakesNewCredentialsOnBothSides) {
  a->addTrack("mic", MediaKind::Audio, "s");
  srd(*b, sld(*a));
  srd(*a, sld(*b));
  clock.runReady();
  exchangeCandidates();
  clock.runReady();
  ASSERT_EQ(a->iceConnectionState(), IceConnectionState::Connected);
  int needed = 0;
  a->onNegotiationNeeded([&] { ++needed; });
  a->restartIce();
  clock.runReady();
  EXPECT_EQ(needed, 1);
  srd(*b, sld(*a));
  srd(*a, sld(*b));
  EXPECT_EQ(a->currentLocal()->iceGen, 2);
  EXPECT_EQ(b->currentLocal()->iceGen, 2);
  clock.runReady();
  EXPECT_NE(a->iceConnectionState(), IceConnectionState::Connected);  // new candidates needed
  exchangeCandidates();
  clock.runReady();
  EXPECT_EQ(a->iceConnectionState(), IceConnectionState::Connected);
}

TEST_F(Fixture, BrokenPathDisconnectsThenFails) {
  a->addTrack("mic", MediaKind::Audio, "s");
  srd(*b, sld(*a));
  srd(*a, sld(*b));
  clock.runReady();
  exchangeCandidates();
  clock.runReady();
  net.setPathBroken("a", "b", true);
  clock.runReady();
  EXPECT_EQ(a->iceConnectionState(), IceConnectionState::Disconnected);
  clock.advance(10000);
  EXPECT_EQ(a->iceConnectionState(), IceConnectionState::Failed);
  net.setPathBroken("a", "b", false);
  clock.runReady();
  EXPECT_EQ(a->iceConnectionState(), IceConnectionState::Failed);  // needs an ICE restart
}

TEST_F(Fixture, NoEventsAfterClose) {
  int events = 0;
  a->onNegotiationNeeded([&] { ++events; });
  a->onSignalingStateChange([&](SignalingState) { ++events; });
  bool called = false;
  a->addTrack("mic", MediaKind::Audio, "s");
  a->setLocalDescription([&](auto) { called = true; });
  a->close();
  clock.runUntilIdle();
  EXPECT_EQ(events, 0);
  EXPECT_FALSE(called);
  EXPECT_EQ(a->signalingState(), SignalingState::Closed);
  EXPECT_FALSE(a->addTrack("cam", MediaKind::Video, "s").ok());
}

TEST(FakeSdp, EncodesAndParses) {
  FakeSdp sdp;
  sdp.lines = {{"0", MediaKind::Audio, Direction::SendOnly, "t", "s"},
               {"1", MediaKind::Video, Direction::RecvOnly, "", ""}};
  sdp.pc = 7;
  sdp.iceGen = 3;
  sdp.offerId = 9;
  auto parsed = FakeSdp::parse(sdp.encode());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->encode(), sdp.encode());
  EXPECT_FALSE(FakeSdp::parse("v=0"));
}

}  // namespace
}  // namespace vroom::fakes
