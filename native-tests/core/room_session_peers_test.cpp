// RoomSession's peers: who offers to whom in conferences and broadcasts, lazy answering,
// what each side sends, and end-to-end runs of several sessions through the real registry
// (per-peer states, remote streams, ICE-restart recovery shown in the snapshot, stats, dead
// connections replaced).
#include "room_session.hpp"

#include <gtest/gtest.h>

#include "session_harness.hpp"
#include "sim_world.hpp"

namespace vroom::testing {
namespace {

FakeSdp parsed(const std::optional<SessionDescription>& d) {
  EXPECT_TRUE(d);
  auto sdp = d ? FakeSdp::parse(d->sdp) : std::nullopt;
  EXPECT_TRUE(sdp);
  return sdp.value_or(FakeSdp{});
}

void joinAsViewer(SessionHarness& h) {
  h.session->join("live", "V", proto::Role::Viewer);
  h.socket.accept();
  h.deliver(h.welcome());
  h.deliver(SessionHarness::viewerJoined("live"));
}

TEST(RoomSessionPeers, TheJoinerOffersToEveryMember) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A"), peer("m-b", "B")});
  h.clock.runUntilIdle(1000);
  EXPECT_EQ(h.session->peerConnectionCount(), 2u);
  for (const char* id : {"m-a", "m-b"}) {
    auto offer = h.lastDescriptionTo(id);
    ASSERT_TRUE(offer) << id;
    EXPECT_EQ(offer->type, SdpType::Offer);
    auto sdp = parsed(offer);
    ASSERT_EQ(sdp.lines.size(), 2u);
    for (const auto& line : sdp.lines) EXPECT_EQ(line.direction, Direction::SendRecv);
  }
  // The ICE servers from welcome configure every connection.
  ASSERT_EQ(h.net.iceServersSeen().size(), 2u);
  EXPECT_EQ(h.net.iceServersSeen()[0], h.welcome().iceServers);
}

TEST(RoomSessionPeers, RenewedIceServersReachLiveLinksAndLaterOnes) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runUntilIdle(1000);
  const std::vector<proto::IceServer> renewed = {
      proto::IceServer{{"turn:turn.test:3478"}, "1700003600:m-self", "fresh"}};
  h.deliver(proto::IceServersMsg{renewed});
  auto* live = h.pcFor("m-a");
  ASSERT_NE(live, nullptr);
  EXPECT_EQ(live->iceServers(), renewed);  // the live link restarts ICE with them later

  h.deliver(proto::PeerJoined{peer("m-b", "B")});
  auto& remote = h.addRemote("m-b");
  remote.pc->addTrack("b-mic", MediaKind::Audio, "b-stream");
  h.pump();
  ASSERT_NE(h.pcFor("m-b"), nullptr);
  EXPECT_EQ(h.net.iceServersSeen().back(), renewed);  // a new link is made with them at once
}

TEST(RoomSessionPeers, ExistingMembersAnswerWithTheirOwnMediaOnTheOfferedLines) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::PeerJoined{peer("m-new", "New")});
  EXPECT_EQ(h.session->negotiatorFor("m-new"), nullptr);
  auto& remote = h.addRemote("m-new");
  remote.pc->addTrack("new-mic", MediaKind::Audio, "new-stream");
  remote.pc->addTrack("new-cam", MediaKind::Video, "new-stream");
  h.pump();
  auto* pc = h.pcFor("m-new");
  ASSERT_NE(pc, nullptr);
  auto answer = parsed(h.lastDescriptionTo("m-new"));
  EXPECT_EQ(h.lastDescriptionTo("m-new")->type, SdpType::Answer);
  ASSERT_EQ(answer.lines.size(), 2u);  // no extra m-lines of our own
  EXPECT_EQ(answer.lines[0].direction, Direction::SendRecv);
  EXPECT_EQ(answer.lines[0].trackId, "mic-track-1");
  EXPECT_EQ(answer.lines[1].trackId, "cam-track-1");
  EXPECT_TRUE(h.session->negotiatorFor("m-new")->settled());
  auto* member = h.member("m-new");
  ASSERT_NE(member, nullptr);
  EXPECT_EQ(member->connection, LinkState::Connected);
  EXPECT_EQ(member->audioStreamId, "new-stream");
  EXPECT_EQ(member->cameraStreamId, "new-stream");
  EXPECT_EQ(member->screenStreamId, "");
  EXPECT_EQ(pc->countCalls("event:negotiationneeded"), 0u);  // never offered itself
}

TEST(RoomSessionPeers, TheBroadcastHostOffersToEachViewerAsItJoins) {
  SessionHarness h;
  h.goLive();
  EXPECT_EQ(h.session->peerConnectionCount(), 0u);
  auto& viewer = h.addRemote("v-1", "host");
  h.deliver(proto::PeerJoined{peer("v-1", "V", proto::Role::Viewer)});
  h.pump();
  auto offer =
      parsed(h.signalsTo("v-1").empty()
                 ? std::nullopt
                 : std::optional(SessionDescription{
                       SdpType::Offer, std::get<SessionDescription>(h.signalsTo("v-1")[0]).sdp}));
  ASSERT_EQ(offer.lines.size(), 2u);
  EXPECT_TRUE(viewer.pc->sendingTracks().empty());
  // The viewer's answer receives only; the host receives nothing.
  for (const auto& line : viewer.pc->currentLocal()->lines)
    EXPECT_EQ(line.direction, Direction::RecvOnly);
  EXPECT_TRUE(h.session->negotiatorFor("v-1")->settled());
  EXPECT_EQ(h.member("v-1")->audioStreamId, "");
}

TEST(RoomSessionPeers, ViewersWaitForTheHostAndNeverSend) {
  SessionHarness h;
  joinAsViewer(h);
  EXPECT_EQ(h.session->peerConnectionCount(), 0u);
  EXPECT_TRUE(h.media.userMediaRequests.empty());
  auto& host = h.addRemote("host", "v-1");
  host.pc->addTrack("h-mic", MediaKind::Audio, "h-stream");
  host.pc->addTrack("h-cam", MediaKind::Video, "h-stream");
  h.pump();
  auto* pc = h.pcFor("host");
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->countCalls("addTrack"), 0u);
  EXPECT_EQ(pc->countCalls("addTransceiver"), 0u);
  for (const auto& line : pc->currentLocal()->lines) EXPECT_EQ(line.direction, Direction::RecvOnly);
  EXPECT_EQ(h.member("host")->cameraStreamId, "h-stream");
  // Another viewer is never shown to (or connected with) a viewer.
  h.deliver(proto::PeerJoined{peer("v-2", "W", proto::Role::Viewer)});
  EXPECT_EQ(h.snap().members.size(), 1u);
}

TEST(RoomSessionPeers, MalformedOrStraySignalsAreIgnored) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.deliver(proto::Signal{"", "m-unknown", encodeSignal(CandidatePayload{})});
  h.deliver(proto::Signal{"", "m-a", nlohmann::json{{"nonsense", 1}}});
  EXPECT_EQ(h.session->peerConnectionCount(), 1u);
  EXPECT_EQ(h.snap().state, SessionState::Joined);
}

TEST(RoomSessionPeers, RemoteScreenIsTellFromTheCamera) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::PeerJoined{peer("m-s", "S")});
  auto& remote = h.addRemote("m-s");
  remote.pc->addTrack("s-cam", MediaKind::Video, "s-cam-stream");
  h.pump();
  EXPECT_EQ(h.member("m-s")->cameraStreamId, "s-cam-stream");
  // A second video stream is a screen next to the camera.
  remote.pc->addTrack("s-screen", MediaKind::Video, "s-screen-stream");
  h.pump();
  EXPECT_EQ(h.member("m-s")->cameraStreamId, "s-cam-stream");
  EXPECT_EQ(h.member("m-s")->screenStreamId, "s-screen-stream");
}

TEST(RoomSessionPeers, ReplacedScreenIsShownWhileThePeerSaysItShares) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::PeerJoined{peer("m-s", "S")});
  auto& remote = h.addRemote("m-s");
  remote.pc->addTrack("s-cam", MediaKind::Video, "s-stream");
  h.pump();
  h.deliver(proto::PeerMedia{"m-s", proto::MediaState{true, true, true}});
  EXPECT_EQ(h.member("m-s")->screenStreamId, "s-stream");
  EXPECT_EQ(h.member("m-s")->cameraStreamId, "");
}

TEST(RoomSessionPeers, SpeakingFlagsChangeOnlyWhenTheyFlip) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  const auto rev = h.snap().revision;
  h.session->setAudioLevel("m-a", 0.01);
  EXPECT_EQ(h.snap().revision, rev);
  h.session->setAudioLevel("m-a", 0.3);
  EXPECT_TRUE(h.member("m-a")->speaking);
  const auto rev2 = h.snap().revision;
  h.session->setAudioLevel("m-a", 0.5);
  EXPECT_EQ(h.snap().revision, rev2);
  h.session->setAudioLevel("", 0.2);
  EXPECT_TRUE(h.snap().local.speaking);
  h.session->setAudioLevel("nobody", 0.9);  // ignored
}

// ---------------------------------------------------------------- end to end

TEST(RoomSessionPeers, ConferenceOfThreeConnectsEveryPair) {
  sim::SimWorld w(11);
  for (const char* label : {"a", "b", "c"}) w.addClient(label).expectJoined = true;
  w.clients[0]->session->join("room", "a");
  w.runFor(500);
  w.clients[1]->session->join("room", "b");
  w.clients[2]->session->join("room", "c");
  auto problems = w.settle(20000);
  EXPECT_TRUE(problems.empty()) << sim::describe(problems);
  for (auto& c : w.clients) {
    auto s = c->session->snapshot();
    ASSERT_EQ(s.members.size(), 2u) << c->label;
    for (const auto& m : s.members) {
      EXPECT_EQ(m.connection, LinkState::Connected);
      EXPECT_FALSE(m.audioStreamId.empty());
      EXPECT_FALSE(m.cameraStreamId.empty());
    }
  }
}

TEST(RoomSessionPeers, BroadcastViewersSeeOnlyTheHost) {
  sim::SimWorld w(12);
  auto& host = w.addClient("host");
  host.expectJoined = true;
  host.session->create("show", "host", proto::Mode::Broadcast, false);
  w.runFor(500);
  for (const char* label : {"v1", "v2"}) {
    auto& v = w.addClient(label);
    v.expectJoined = true;
    v.session->join("show", label, proto::Role::Viewer);
  }
  auto problems = w.settle(20000);
  EXPECT_TRUE(problems.empty()) << sim::describe(problems);
  EXPECT_EQ(host.session->snapshot().members.size(), 2u);
  for (int i = 1; i <= 2; ++i) {
    auto s = w.clients[i]->session->snapshot();
    ASSERT_EQ(s.members.size(), 1u);
    EXPECT_EQ(s.members[0].role, proto::Role::Host);
    EXPECT_FALSE(s.members[0].cameraStreamId.empty());
    EXPECT_TRUE(w.clients[i]->media.userMediaRequests.empty());
  }
}

TEST(RoomSessionPeers, BrokenPathShowsIceRestartThenRecovers) {
  sim::SimWorld w(13);
  auto& a = w.addClient("a");
  auto& b = w.addClient("b");
  a.expectJoined = b.expectJoined = true;
  a.session->join("room", "a");
  w.runFor(300);
  b.session->join("room", "b");
  ASSERT_TRUE(w.settle(20000).empty());
  const auto bId = b.session->snapshot().self.id;
  w.pcs.setPathBroken("a", "b", true);
  w.runFor(100);
  EXPECT_EQ(a.session->snapshot().recovery, Recovery::IceRestart);
  auto m = a.session->snapshot().members.at(0);
  EXPECT_EQ(m.connection, LinkState::Reconnecting);
  w.runFor(5000);
  EXPECT_GE(a.session->negotiatorFor(bId)->iceRestarts(), 1);
  w.pcs.setPathBroken("a", "b", false);
  auto problems = w.settle(30000);
  EXPECT_TRUE(problems.empty()) << sim::describe(problems);
  EXPECT_EQ(a.session->snapshot().recovery, Recovery::None);
}

// Issue 16 item 1: a connection that gathers no local candidate (Chromium after rolling back
// its first offer in a join-time collision) is replaced, and the peer follows the new one.
TEST(RoomSessionPeers, ADeadConnectionIsReplacedAndBothSidesConnect) {
  sim::SimWorld w(15);
  auto& a = w.addClient("a");
  auto& b = w.addClient("b");
  a.expectJoined = b.expectJoined = true;
  a.session->join("room", "a");
  w.runFor(300);
  w.pcs.makeNextDead("b");  // b's first connection (to a) never gathers
  b.session->join("room", "b");
  w.runFor(3000);
  const auto aId = a.session->snapshot().self.id;
  ASSERT_NE(b.session->negotiatorFor(aId), nullptr);
  EXPECT_EQ(b.session->snapshot().members.at(0).connection, LinkState::Connecting);
  auto problems = w.settle(20000);
  EXPECT_TRUE(problems.empty()) << sim::describe(problems);
  // One replacement each: b's dead connection and a's connection to it, both gone now.
  EXPECT_EQ(w.pcs.createdFor("b"), 2);
  EXPECT_EQ(w.pcs.createdFor("a"), 2);
  EXPECT_EQ(w.pcs.all().size(), 2u);
  EXPECT_FALSE(b.session->snapshot().members.at(0).audioStreamId.empty());
  EXPECT_FALSE(a.session->snapshot().members.at(0).cameraStreamId.empty());
}

TEST(RoomSessionPeers, ReplacementStopsWhenNoConnectionEverGathers) {
  sim::SimWorld w(16);
  auto& a = w.addClient("a");
  auto& b = w.addClient("b");
  a.session->join("room", "a");
  w.runFor(300);
  w.pcs.makeNextDead("b", 100);  // this machine gathers nothing at all
  b.session->join("room", "b");
  w.runFor(120000);
  // The first connection and three replacements, then no more.
  EXPECT_EQ(w.pcs.createdFor("b"), 4);
  EXPECT_EQ(b.session->peerConnectionCount(), 1u);
  EXPECT_EQ(b.session->state(), SessionState::Joined);
}

// The join-time collision itself: the session (polite: "m-self" > "m-a") has its first offer
// out when the member's offer arrives. It answers from a new connection instead of rolling
// that offer back, and the impolite member, which ignored our offer, just gets an answer.
TEST(RoomSessionPeers, JoinGlareOnThePoliteSideAnswersFromANewConnection) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runUntilIdle(100);
  ASSERT_NE(h.pcFor("m-a"), nullptr);
  const auto firstUid = h.pcFor("m-a")->uid();
  ASSERT_EQ(h.pcFor("m-a")->signalingState(), SignalingState::HaveLocalOffer);
  auto& remote = h.addRemote("m-a");
  remote.pc->addTrack("a-mic", MediaKind::Audio, "a-stream");
  h.clock.runUntilIdle(100);  // the member's offer reaches the session: a collision
  auto* now = h.pcFor("m-a");
  ASSERT_NE(now, nullptr);
  EXPECT_NE(now->uid(), firstUid);
  EXPECT_EQ(now->countCalls("rollback"), 0u);
  EXPECT_TRUE(h.net.find(firstUid) == nullptr || h.net.find(firstUid)->closed());
  h.pump();
  EXPECT_EQ(remote.negotiator->ignoredOffers(), 1);  // our first offer, from the closed pc
  EXPECT_TRUE(remote.negotiator->settled());
  EXPECT_EQ(h.session->peerConnectionCount(), 1u);
  EXPECT_EQ(h.snap().members.at(0).connection, LinkState::Connected);
  EXPECT_EQ(h.snap().members.at(0).audioStreamId, "a-stream");
}

TEST(RoomSessionPeers, APeersNewConnectionOfferReplacesOurs) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  auto& remote = h.addRemote("m-a");
  remote.pc->addTrack("a-mic", MediaKind::Audio, "a-stream");
  h.pump();
  ASSERT_NE(h.pcFor("m-a"), nullptr);
  const auto oldUid = h.pcFor("m-a")->uid();
  ASSERT_EQ(h.snap().members.at(0).connection, LinkState::Connected);
  // The peer's connection died and it made a new one: its offer says so.
  h.remotes.erase("m-a");
  auto& fresh = h.addRemote("m-a");
  fresh.negotiator->announceNewConnection();
  fresh.pc->addTrack("a-mic-2", MediaKind::Audio, "a-stream-2");
  h.pump();
  auto* now = h.pcFor("m-a");
  ASSERT_NE(now, nullptr);
  EXPECT_NE(now->uid(), oldUid);
  EXPECT_TRUE(h.net.find(oldUid) == nullptr || h.net.find(oldUid)->closed());
  EXPECT_EQ(h.session->peerConnectionCount(), 1u);
  EXPECT_EQ(now->countCalls("setRemoteDescription(offer)"), 1u);
  EXPECT_TRUE(fresh.negotiator->settled());
  EXPECT_EQ(h.snap().members.at(0).connection, LinkState::Connected);
  EXPECT_EQ(h.snap().members.at(0).audioStreamId, "a-stream-2");
}

TEST(RoomSessionPeers, ExpiredSessionRejoinsWithoutTheUser) {
  sim::SimWorld w(14);
  auto& a = w.addClient("a");
  auto& b = w.addClient("b");
  a.expectJoined = b.expectJoined = true;
  a.session->join("room", "a");
  w.runFor(300);
  b.session->join("room", "b");
  ASSERT_TRUE(w.settle(20000).empty());
  const auto oldId = b.session->snapshot().self.id;
  b.socket->blockUntil(w.clock.now() + 5000);  // longer than the 3 s resume window
  b.socket->drop(0);
  bool sawRejoin = false;
  b.session->onChange([&] { sawRejoin |= b.session->recovery() == Recovery::FullRejoin; });
  w.runFor(1000);
  EXPECT_EQ(b.session->state(), SessionState::Reconnecting);
  EXPECT_EQ(b.session->recovery(), Recovery::SignalingReconnect);
  w.runFor(4500);
  auto problems = w.settle(60000);
  EXPECT_TRUE(problems.empty()) << sim::describe(problems);
  EXPECT_TRUE(sawRejoin);
  EXPECT_NE(b.session->snapshot().self.id, oldId);
  EXPECT_EQ(a.session->snapshot().members.at(0).id, b.session->snapshot().self.id);
}

}  // namespace
}  // namespace vroom::testing
