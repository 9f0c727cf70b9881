// RoomSession's side of who may enter and moderation, with the test as the server: the
// credentials it sends (and sends again on a rejoin), the name the server assigned, what a
// host takes from a viewer, the refusals a person must act on, moderator commands, and what
// happens to a person who is removed, asked to mute, or whose room is ended.
#include "room_session.hpp"

#include <gtest/gtest.h>

#include "sdp_direction.hpp"
#include "session_harness.hpp"

namespace vroom::testing {
namespace {

void joinAsModerator(SessionHarness& h, std::vector<proto::PeerInfo> members) {
  ASSERT_TRUE(h.session->join("room-1", "Self").ok());
  h.socket.accept();
  h.deliver(h.welcome());
  proto::Joined joined;
  joined.self = peer("m-self", "Self");
  joined.room = "room-1";
  joined.members = std::move(members);
  joined.moderators = {"m-self"};
  h.deliver(joined);
  h.clock.runReady();
}

TEST(RoomSessionAccess, CredentialsGoWithEveryEntryAndRejoin) {
  SessionHarness h;
  ASSERT_TRUE(
      h.session->join("room-1", "Ada", std::nullopt, Credentials{"jwt.token.here", "pw"}).ok());
  h.socket.accept();
  h.deliver(h.welcome());
  auto joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].token, "jwt.token.here");
  EXPECT_EQ(joins[0].password, "pw");
  proto::Joined joined;
  joined.self = peer("m-self", "Ada (2)");  // the server numbered a look-alike
  joined.room = "room-1";
  h.deliver(joined);
  EXPECT_EQ(h.snap().self.name, "Ada (2)");
  // The session expires on the server: the rejoin presents the same credentials.
  h.socket.drop();
  h.clock.advance(400);
  h.socket.accept();
  h.deliver(h.welcome("tok-2", false));
  joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 2u);
  EXPECT_EQ(joins[1].token, "jwt.token.here");
  EXPECT_EQ(joins[1].password, "pw");

  SessionHarness host;
  ASSERT_TRUE(
      host.session->create("show", "Host", proto::Mode::Broadcast, false, {"", "ours"}).ok());
  host.socket.accept();
  host.deliver(host.welcome());
  ASSERT_EQ(host.sentOf<proto::Create>().size(), 1u);
  EXPECT_EQ(host.sentOf<proto::Create>()[0].password, "ours");
}

struct RefusalCase {
  proto::ErrorCode code;
  SessionErrorCode shown;
  const char* words;  // in the sentence a person reads
};

TEST(RoomSessionAccess, EntryRefusalsEndInASentenceToActOn) {
  const std::vector<RefusalCase> cases = {
      {proto::ErrorCode::TokenRequired, SessionErrorCode::TokenRequired, "invitation"},
      {proto::ErrorCode::TokenInvalid, SessionErrorCode::TokenInvalid, "not valid"},
      {proto::ErrorCode::TokenExpired, SessionErrorCode::TokenExpired, "expired"},
      {proto::ErrorCode::TokenWrongRoom, SessionErrorCode::TokenWrongRoom, "another room"},
      {proto::ErrorCode::PasswordRequired, SessionErrorCode::PasswordRequired, "password"},
      {proto::ErrorCode::WrongPassword, SessionErrorCode::WrongPassword, "not right"},
      {proto::ErrorCode::TooManyAttempts, SessionErrorCode::TooManyAttempts, "Wait a minute"},
      {proto::ErrorCode::RoomLocked, SessionErrorCode::RoomLocked, "locked"},
      {proto::ErrorCode::Banned, SessionErrorCode::Banned, "cannot rejoin"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(proto::toString(c.code)));
    SessionHarness h;
    h.session->join("room-1", "Ada");
    h.socket.accept();
    h.deliver(h.welcome());
    h.deliver(proto::ErrorMsg{c.code, "refused", "join"});
    const auto s = h.snap();
    EXPECT_EQ(s.state, SessionState::Failed);
    EXPECT_EQ(s.error.code, c.shown);
    EXPECT_NE(s.error.message.find(c.words), std::string::npos) << s.error.message;
    EXPECT_EQ(toString(c.shown), proto::toString(c.code));  // one name on both sides
  }
}

TEST(RoomSessionAccess, AHostShowsNothingAViewerSends) {
  SessionHarness h;
  h.goLive();
  auto& viewer = h.addRemote("v-1", "host");
  viewer.pc->addTrack("v-cam", MediaKind::Video, "v-stream");  // a viewer that sends anyway
  viewer.pc->addTrack("v-mic", MediaKind::Audio, "v-stream");
  h.deliver(proto::PeerJoined{peer("v-1", "V", proto::Role::Viewer)});
  h.pump();
  auto* pc = h.pcFor("v-1");
  ASSERT_NE(pc, nullptr);
  pc->fireTrack(RemoteTrack{"v-cam", MediaKind::Video, "v-stream"});
  pc->fireTrack(RemoteTrack{"v-mic", MediaKind::Audio, "v-stream"});
  const MemberSnapshot* shown = h.member("v-1");
  ASSERT_NE(shown, nullptr);
  EXPECT_EQ(shown->cameraStreamId, "");
  EXPECT_EQ(shown->audioStreamId, "");
}

TEST(SdpDirection, AViewersDescriptionOnlyReceives) {
  const std::string offer =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=sendrecv\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendrecv\r\na=msid:cam track-1\r\n"
      "a=ssrc-group:FID 11 12\r\na=ssrc:11 cname:x\r\na=ssrc:12 cname:x\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=recvonly\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:3\r\na=inactive\r\n";
  // Chromium decodes a stream it is told of even on a receive-only line: none may be left.
  const std::string expected =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=recvonly\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=inactive\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=recvonly\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:3\r\na=inactive\r\n";
  EXPECT_EQ(withoutIncomingMedia(offer), expected);
  EXPECT_EQ(withoutIncomingMedia(expected), expected);
  EXPECT_EQ(withoutIncomingMedia("a=sendonly\na=sendrecv"), "a=inactive\na=recvonly");
  EXPECT_EQ(withoutIncomingMedia("a=sendonly-ish\r\n"), "a=sendonly-ish\r\n");
  EXPECT_EQ(withoutIncomingMedia(""), "");
}

TEST(RoomSessionAccess, OnlyAModeratorMayModerate) {
  SessionHarness h;
  h.joinConference({peer("m-bob", "Bob")});
  const std::size_t before = h.socket.sent.size();
  EXPECT_EQ(h.session->removePeer("m-bob", false).error().code, SessionErrorCode::NotAllowed);
  EXPECT_EQ(h.session->requestMute("m-bob").error().code, SessionErrorCode::NotAllowed);
  EXPECT_EQ(h.session->setRoomLocked(true).error().code, SessionErrorCode::NotAllowed);
  EXPECT_EQ(h.session->endRoom().error().code, SessionErrorCode::NotAllowed);
  EXPECT_EQ(h.socket.sent.size(), before);
  EXPECT_FALSE(h.snap().self.moderator);
  // Handed the role: now it may.
  h.deliver(proto::RoomState{{"m-self"}, false, ""});
  EXPECT_TRUE(h.snap().self.moderator);
  EXPECT_TRUE(h.session->removePeer("m-bob", true).ok());
  EXPECT_EQ(h.session->removePeer("m-nobody", false).error().code, SessionErrorCode::NotAllowed);
  const auto removes = h.sentOf<proto::Remove>();
  ASSERT_EQ(removes.size(), 1u);
  EXPECT_EQ(removes[0], (proto::Remove{"m-bob", true}));
}

TEST(RoomSessionAccess, ModeratorCommandsAndTheirAcknowledgements) {
  SessionHarness h;
  joinAsModerator(h, {peer("m-bob", "Bob")});
  EXPECT_TRUE(h.snap().self.moderator);
  ASSERT_TRUE(h.session->requestMute("m-bob").ok());
  ASSERT_TRUE(h.session->setRoomLocked(true).ok());
  ASSERT_TRUE(h.session->endRoom().ok());
  EXPECT_EQ(h.sentOf<proto::RequestMute>().size(), 1u);
  EXPECT_EQ(h.sentOf<proto::Lock>().at(0).locked, true);
  EXPECT_EQ(h.sentOf<proto::EndRoom>().size(), 1u);

  h.deliver(proto::MuteRequested{"m-bob", "m-self", "Self"});
  auto s = h.snap();
  EXPECT_EQ(s.moderation.seq, 1u);
  EXPECT_EQ(s.moderation.action, "request-mute");
  EXPECT_EQ(s.moderation.peerName, "Bob");
  EXPECT_TRUE(s.local.microphoneOn);  // asking someone else mutes nobody here
  EXPECT_EQ(s.notice.code, SessionErrorCode::None);
  h.deliver(proto::RoomState{{"m-self"}, true, "m-self"});
  s = h.snap();
  EXPECT_TRUE(s.locked);
  EXPECT_EQ(s.moderation.seq, 2u);
  EXPECT_EQ(s.moderation.action, "lock");
  h.deliver(proto::RoomClosedMsg{"ended", "m-self", "Self"});
  s = h.snap();
  EXPECT_EQ(s.state, SessionState::Left);
  EXPECT_EQ(s.error.code, SessionErrorCode::None);  // you ended it: nothing to tell you
  EXPECT_EQ(s.moderation.action, "end-room");
}

TEST(RoomSessionAccess, AskedToMuteTheClientMutesItselfAndSaysWhoAsked) {
  SessionHarness h;
  h.joinConference({peer("m-ann", "Ann")});
  ASSERT_TRUE(h.snap().local.microphoneOn);
  h.deliver(proto::MuteRequested{"m-self", "m-ann", "Ann"});
  const auto s = h.snap();
  EXPECT_FALSE(s.local.microphoneOn);
  EXPECT_EQ(s.notice.code, SessionErrorCode::MuteRequested);
  EXPECT_NE(s.notice.message.find("Ann asked you to mute"), std::string::npos);
  EXPECT_EQ(s.moderation.byName, "Ann");
  const auto media = h.sentOf<proto::SetMedia>();
  ASSERT_FALSE(media.empty());
  EXPECT_FALSE(media.back().media.audio);  // the room learns it as usual
  h.session->clearNotice();
  EXPECT_EQ(h.snap().notice.code, SessionErrorCode::None);
  EXPECT_TRUE(h.session->setMicrophone(true).ok());  // only the person unmutes
}

TEST(RoomSessionAccess, RemovedThePersonIsOutAndNothingRejoins) {
  SessionHarness h;
  h.joinConference({peer("m-ann", "Ann")});
  h.deliver(proto::Removed{"m-self", "m-ann", "Ann", true});
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Left);
  EXPECT_EQ(s.error.code, SessionErrorCode::Removed);
  EXPECT_NE(s.error.message.find("Ann removed you"), std::string::npos);
  EXPECT_NE(s.error.message.find("cannot rejoin"), std::string::npos);
  EXPECT_TRUE(s.moderation.ban);
  EXPECT_EQ(h.socket.state, FakeSignalingChannel::State::Closed);
  const std::size_t opened = h.socket.opened.size();
  h.clock.advance(60000);
  EXPECT_EQ(h.socket.opened.size(), opened);  // no reconnect, no rejoin
}

TEST(RoomSessionAccess, AnEndedMeetingSaysWhoEndedIt) {
  SessionHarness h;
  h.joinConference({peer("m-ann", "Ann")});
  h.deliver(proto::RoomClosedMsg{"ended", "m-ann", "Ann"});
  const auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Left);
  EXPECT_EQ(s.error.code, SessionErrorCode::RoomEnded);
  EXPECT_EQ(s.error.message, "Ann ended the meeting for everyone.");
}

}  // namespace
}  // namespace vroom::testing
