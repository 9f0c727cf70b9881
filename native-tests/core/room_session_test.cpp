// RoomSession lifecycle with the test as the server: every state from idle to left/failed,
// server errors, chat, and signaling recovery (resume, full rejoin, backoff, giving up).
#include "room_session.hpp"

#include <gtest/gtest.h>

#include "session_harness.hpp"

namespace vroom::testing {
namespace {

TEST(RoomSession, StartsIdle) {
  SessionHarness h;
  EXPECT_EQ(h.snap().state, SessionState::Idle);
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);
  EXPECT_TRUE(h.socket.opened.empty());
}

TEST(RoomSession, JoinWalksThroughConnectingHelloJoiningJoined) {
  SessionHarness h;
  ASSERT_TRUE(h.session->join("room-1", "Ada").ok());
  EXPECT_EQ(h.snap().state, SessionState::Connecting);
  ASSERT_EQ(h.socket.opened.size(), 1u);
  EXPECT_EQ(h.socket.opened[0], "wss://vroom.test/ws");
  h.socket.accept();
  EXPECT_EQ(h.snap().state, SessionState::Hello);
  auto hellos = h.sentOf<proto::Hello>();
  ASSERT_EQ(hellos.size(), 1u);
  EXPECT_EQ(hellos[0].resumeToken, "");
  EXPECT_EQ(hellos[0].version, proto::kVersion);
  h.deliver(h.welcome());
  EXPECT_EQ(h.snap().state, SessionState::Joining);
  auto joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].room, "room-1");
  EXPECT_EQ(joins[0].name, "Ada");
  EXPECT_EQ(joins[0].role, std::nullopt);
  proto::Joined joined;
  joined.self = peer("m-self", "Ada");
  joined.room = "room-1";
  joined.members = {peer("m-bob", "Bob")};
  h.deliver(joined);
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Joined);
  EXPECT_EQ(s.room, "room-1");
  EXPECT_EQ(s.self.id, "m-self");
  EXPECT_EQ(s.self.name, "Ada");
  ASSERT_EQ(s.members.size(), 1u);
  EXPECT_EQ(s.members[0].name, "Bob");
  EXPECT_EQ(s.members[0].connection, LinkState::Connecting);
  EXPECT_EQ(s.recovery, Recovery::None);
}

TEST(RoomSession, CreateSendsModeAndAudioOnly) {
  SessionHarness h;
  ASSERT_TRUE(h.session->create("live.1", "Host", proto::Mode::Broadcast, true).ok());
  h.socket.accept();
  h.deliver(h.welcome());
  auto creates = h.sentOf<proto::Create>();
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].room, "live.1");
  EXPECT_EQ(creates[0].mode, proto::Mode::Broadcast);
  EXPECT_TRUE(creates[0].audioOnly);
  // An audio-only room never asks for the camera.
  ASSERT_EQ(h.media.userMediaRequests.size(), 1u);
  EXPECT_FALSE(h.media.userMediaRequests[0].video);
  EXPECT_TRUE(h.media.userMediaRequests[0].audio);
}

TEST(RoomSession, ViewersRequestNoMedia) {
  SessionHarness h;
  ASSERT_TRUE(h.session->join("live", "Viewer", proto::Role::Viewer).ok());
  h.socket.accept();
  h.deliver(h.welcome());
  EXPECT_TRUE(h.media.userMediaRequests.empty());
  auto joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].role, proto::Role::Viewer);
}

TEST(RoomSession, InvalidInputIsRefusedBeforeConnecting) {
  struct Case {
    std::string room, name;
    SessionErrorCode code;
  };
  const std::vector<Case> cases = {
      {"", "Ada", SessionErrorCode::InvalidRoomId},
      {"has space", "Ada", SessionErrorCode::InvalidRoomId},
      {std::string(65, 'a'), "Ada", SessionErrorCode::InvalidRoomId},
      {"ok", "", SessionErrorCode::InvalidName},
      {"ok", "   ", SessionErrorCode::InvalidName},
      {"ok", std::string(41, 'n'), SessionErrorCode::InvalidName},
      {"ok", "tab\there", SessionErrorCode::InvalidName},
  };
  for (const auto& c : cases) {
    SessionHarness h;
    auto result = h.session->join(c.room, c.name);
    ASSERT_FALSE(result.ok()) << c.room << "/" << c.name;
    EXPECT_EQ(result.error().code, c.code);
    EXPECT_FALSE(result.error().message.empty());
    EXPECT_EQ(h.snap().error.code, c.code);
    EXPECT_TRUE(h.socket.opened.empty());
    EXPECT_EQ(h.snap().state, SessionState::Idle);
  }
}

TEST(RoomSession, SecondJoinWhileBusyIsRefused) {
  SessionHarness h;
  h.joinConference();
  auto again = h.session->join("other", "Ada");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, SessionErrorCode::AlreadyInRoom);
  EXPECT_EQ(h.snap().state, SessionState::Joined);
}

TEST(RoomSession, AViewerWaitsForTheBroadcastForAsLongAsItTakes) {
  SessionHarness h;
  h.session->join("launch", "V", proto::Role::Viewer);
  EXPECT_EQ(h.snap().mode, proto::Mode::Broadcast) << "a viewer is never in a conference";
  h.socket.accept();
  h.deliver(h.welcome());
  auto joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_TRUE(joins[0].wait);
  h.deliver(proto::Waiting{"launch"});
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Waiting);
  EXPECT_NE(s.reason.find("No broadcast named launch is live yet"), std::string::npos) << s.reason;
  EXPECT_EQ(s.error.code, SessionErrorCode::None);
  // No handshake timeout, no retry while waiting.
  h.clock.advance(120000);
  EXPECT_EQ(h.socket.opened.size(), 1u);
  EXPECT_TRUE(h.socket.closes.empty());
  EXPECT_EQ(h.snap().state, SessionState::Waiting);
  // The host goes live: the server lets the viewer in.
  h.deliver(SessionHarness::viewerJoined("launch"));
  s = h.snap();
  EXPECT_EQ(s.state, SessionState::Joined);
  ASSERT_EQ(s.members.size(), 1u);
  EXPECT_EQ(s.members[0].role, proto::Role::Host);
}

TEST(RoomSession, StoppingTheWaitSendsLeaveAndAWaitCutByTheNetworkAsksAgain) {
  SessionHarness h;
  h.session->join("launch", "V", proto::Role::Viewer);
  h.socket.accept();
  h.deliver(h.welcome());
  h.deliver(proto::Waiting{"launch"});
  h.socket.drop();
  h.clock.advance(1000);
  ASSERT_EQ(h.socket.opened.size(), 2u);
  h.socket.accept();
  h.deliver(h.welcome());
  auto joins = h.sentOf<proto::Join>();
  ASSERT_EQ(joins.size(), 2u) << "the wait is asked for again on the new socket";
  EXPECT_TRUE(joins[1].wait);
  h.deliver(proto::Waiting{"launch"});
  EXPECT_EQ(h.snap().state, SessionState::Waiting);
  h.session->leave();
  EXPECT_EQ(h.sentOf<proto::Leave>().size(), 1u);
  const auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Left);
  EXPECT_EQ(s.reason, "You stopped waiting for launch.");
}

TEST(RoomSession, ServerRefusalsFailWithAMessageToActOn) {
  struct Case {
    proto::ErrorCode code;
    bool create;
    SessionErrorCode expected;
    std::string mustMention;
  };
  const std::vector<Case> cases = {
      {proto::ErrorCode::RoomExists, true, SessionErrorCode::RoomExists, "already live"},
      {proto::ErrorCode::RoomNotFound, false, SessionErrorCode::RoomNotFound, "'r1'"},
      {proto::ErrorCode::RoomFull, false, SessionErrorCode::RoomFull, "full"},
      {proto::ErrorCode::NotAllowed, false, SessionErrorCode::NotAllowed, "not allowed"},
      {proto::ErrorCode::InvalidName, false, SessionErrorCode::InvalidName, "name"},
  };
  for (const auto& c : cases) {
    SessionHarness h;
    if (c.create)
      h.session->create("r1", "Host", proto::Mode::Broadcast, false);
    else
      h.session->join("r1", "Ada");
    h.socket.accept();
    h.deliver(h.welcome());
    h.deliver(proto::ErrorMsg{c.code, "nope", c.create ? "create" : "join"});
    auto s = h.snap();
    EXPECT_EQ(s.state, SessionState::Failed) << proto::toString(c.code);
    EXPECT_EQ(s.error.code, c.expected);
    EXPECT_NE(s.error.message.find(c.mustMention), std::string::npos) << s.error.message;
    EXPECT_EQ(h.socket.state, FakeSignalingChannel::State::Closed);
    // No retry after a refusal.
    h.clock.advance(60000);
    EXPECT_EQ(h.socket.opened.size(), 1u);
  }
}

TEST(RoomSession, BroadcastIdTakenSaysSo) {
  EXPECT_EQ(userMessage(SessionErrorCode::RoomExists, "show"),
            "A broadcast with the id 'show' is already live. Pick another id.");
}

TEST(RoomSession, ProtocolErrorFails) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::ErrorMsg{proto::ErrorCode::InvalidMessage, "bad", "signal"});
  EXPECT_EQ(h.snap().state, SessionState::Failed);
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::ProtocolError);
}

TEST(RoomSession, UserErrorsWhileJoinedAreShownAndTheSessionStays) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::ErrorMsg{proto::ErrorCode::RateLimited, "slow down", ""});
  EXPECT_EQ(h.snap().state, SessionState::Joined);
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::RateLimited);
  h.session->clearError();
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);
  h.deliver(proto::ErrorMsg{proto::ErrorCode::UnknownPeer, "gone", "signal"});
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);  // a race, not the person's problem
}

TEST(RoomSession, LeaveSendsLeaveClosesAndEndsLeft) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  ASSERT_EQ(h.session->peerConnectionCount(), 1u);
  auto* pc = h.pcFor("m-a");
  ASSERT_NE(pc, nullptr);
  h.session->leave();
  EXPECT_EQ(h.sentOf<proto::Leave>().size(), 1u);
  EXPECT_EQ(h.socket.state, FakeSignalingChannel::State::Closed);
  EXPECT_EQ(h.snap().state, SessionState::Left);
  EXPECT_TRUE(h.snap().members.empty());
  EXPECT_EQ(h.session->peerConnectionCount(), 0u);
  EXPECT_TRUE(h.net.openOwnedBy("self").empty());
  // The camera is given back.
  EXPECT_FALSE(h.media.stopped.empty());
  // Leaving is final: nothing reconnects.
  h.clock.advance(60000);
  EXPECT_EQ(h.socket.opened.size(), 1u);
}

TEST(RoomSession, LeavingWhileConnectingOrReconnectingStopsRetrying) {
  for (int phase = 0; phase < 2; ++phase) {
    SessionHarness h;
    if (phase == 0) {
      h.session->join("room-1", "Ada");
    } else {
      h.joinConference();
      h.socket.drop();
      ASSERT_EQ(h.snap().state, SessionState::Reconnecting);
    }
    h.session->leave();
    EXPECT_EQ(h.snap().state, SessionState::Left) << phase;
    const auto opens = h.socket.opened.size();
    h.clock.advance(60000);
    EXPECT_EQ(h.socket.opened.size(), opens) << phase;
  }
}

TEST(RoomSession, CanJoinAgainAfterLeaving) {
  SessionHarness h;
  h.joinConference();
  h.session->leave();
  ASSERT_TRUE(h.session->join("room-2", "Ada").ok());
  EXPECT_EQ(h.snap().state, SessionState::Connecting);
  h.socket.accept();
  EXPECT_EQ(h.sentOf<proto::Hello>().back().resumeToken, "");  // a fresh session
}

TEST(RoomSession, RoomClosedEndsTheVisitWithTheReason) {
  SessionHarness h;
  h.session->join("live", "V", proto::Role::Viewer);
  h.socket.accept();
  h.deliver(h.welcome());
  h.deliver(SessionHarness::viewerJoined("live"));
  h.deliver(proto::RoomClosedMsg{"host_left"});
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Left);
  EXPECT_EQ(s.error.code, SessionErrorCode::RoomClosed);
  EXPECT_EQ(s.error.message, "The broadcast has ended: the host left.");
}

TEST(RoomSession, ChatIsSentAndTheServersCopyIsLogged) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  ASSERT_TRUE(h.session->sendChat("hello").ok());
  auto chats = h.sentOf<proto::Chat>();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].text, "hello");
  EXPECT_TRUE(h.snap().chat.empty());  // shown in the server's order, when it comes back
  h.deliver(proto::Chat{"hello", "m-self", "Self", 1000});
  h.deliver(proto::Chat{"hi!", "m-a", "A", 1001});
  auto s = h.snap();
  ASSERT_EQ(s.chat.size(), 2u);
  EXPECT_EQ(s.chat[0], (ChatEntry{"m-self", "Self", "hello", 1000, true}));
  EXPECT_EQ(s.chat[1], (ChatEntry{"m-a", "A", "hi!", 1001, false}));
}

TEST(RoomSession, ChatRulesAreCheckedLocally) {
  SessionHarness h;
  EXPECT_EQ(h.session->sendChat("early").error().code, SessionErrorCode::NotConnected);
  h.joinConference();
  EXPECT_FALSE(h.session->sendChat("   ").ok());
  auto tooLong = h.session->sendChat(std::string(1001, 'x'));
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error().code, SessionErrorCode::ChatTooLong);
  // Code points, not bytes: 1000 two-byte characters fit.
  std::string accents;
  for (int i = 0; i < 1000; ++i) accents += "\xC3\xA9";
  EXPECT_TRUE(h.session->sendChat(accents).ok());
  EXPECT_EQ(h.sentOf<proto::Chat>().size(), 1u);
}

TEST(RoomSession, ChatLogIsBounded) {
  SessionConfig config = SessionHarness::defaultConfig();
  config.maxChatEntries = 3;
  SessionHarness h(config);
  h.joinConference();
  for (int i = 0; i < 5; ++i) h.deliver(proto::Chat{std::to_string(i), "m-x", "X", i});
  auto s = h.snap();
  ASSERT_EQ(s.chat.size(), 3u);
  EXPECT_EQ(s.chat.front().text, "2");
  EXPECT_EQ(s.chat.back().text, "4");
}

TEST(RoomSession, AnswersPings) {
  SessionHarness h;
  h.joinConference();
  h.deliver(proto::Ping{42});
  auto pongs = h.sentOf<proto::Pong>();
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0].ts, 42);
}

TEST(RoomSession, RevisionMovesOnEveryChangeAndNotOtherwise) {
  SessionHarness h;
  const auto before = h.snap().revision;
  h.joinConference();
  const auto joined = h.snap().revision;
  EXPECT_GT(joined, before);
  EXPECT_EQ(static_cast<std::uint64_t>(h.changes), joined);
  h.deliver(proto::Pong{1});  // nothing visible changes
  EXPECT_EQ(h.snap().revision, joined);
  h.deliver(proto::PeerJoined{peer("m-z", "Z")});
  EXPECT_GT(h.snap().revision, joined);
}

TEST(RoomSession, MembersComeGoAndChangeMedia) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.deliver(proto::PeerJoined{peer("m-b", "B")});
  EXPECT_EQ(h.snap().members.size(), 2u);
  EXPECT_EQ(h.session->negotiatorFor("m-b"), nullptr);  // B offers; no connection yet
  h.deliver(proto::PeerMedia{"m-b", proto::MediaState{false, true, false}});
  ASSERT_NE(h.member("m-b"), nullptr);
  EXPECT_FALSE(h.member("m-b")->media.audio);
  auto* pcA = h.pcFor("m-a");
  ASSERT_NE(pcA, nullptr);
  h.deliver(proto::PeerLeft{"m-a"});
  EXPECT_EQ(h.member("m-a"), nullptr);
  EXPECT_EQ(h.session->negotiatorFor("m-a"), nullptr);
  EXPECT_TRUE(h.net.openOwnedBy("self").empty());
}

// ---------------------------------------------------------------- recovery of the socket

TEST(RoomSession, SocketDropReconnectsWithinThreeHundredMsAndResumes) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runReady();
  const auto* negotiator = h.session->negotiatorFor("m-a");
  const auto pcsBefore = h.net.all().size();
  h.socket.drop();
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Reconnecting);
  EXPECT_EQ(s.recovery, Recovery::SignalingReconnect);
  EXPECT_EQ(s.reconnectAttempt, 1);
  EXPECT_EQ(s.members.size(), 1u);  // peers stay
  h.clock.advance(299);
  EXPECT_EQ(h.socket.opened.size(), 1u);
  h.clock.advance(1);
  ASSERT_EQ(h.socket.opened.size(), 2u);
  h.socket.accept();
  auto hellos = h.sentOf<proto::Hello>();
  ASSERT_EQ(hellos.size(), 2u);
  EXPECT_EQ(hellos[1].resumeToken, "tok-1");
  h.deliver(h.welcome("tok-2", true));
  EXPECT_EQ(h.snap().state, SessionState::Reconnecting);
  proto::Joined joined;
  joined.self = peer("m-self", "Self");
  joined.room = "room-1";
  joined.members = {peer("m-a", "A")};
  joined.resumed = true;
  h.deliver(joined);
  s = h.snap();
  EXPECT_EQ(s.state, SessionState::Joined);
  EXPECT_EQ(s.recovery, Recovery::None);
  EXPECT_EQ(s.reconnectAttempt, 0);
  EXPECT_EQ(h.session->negotiatorFor("m-a"), negotiator);  // the same connection
  EXPECT_EQ(h.net.all().size(), pcsBefore);
  EXPECT_EQ(h.sentOf<proto::Join>().size(), 1u);  // no second join
}

TEST(RoomSession, ResumeReconcilesTheMemberList) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A"), peer("m-b", "B")});
  h.socket.drop();
  h.clock.advance(300);
  h.socket.accept();
  h.deliver(h.welcome("tok-2", true));
  proto::Joined joined;
  joined.self = peer("m-self", "Self");
  joined.room = "room-1";
  joined.members = {peer("m-b", "B"), peer("m-c", "C")};
  joined.resumed = true;
  h.deliver(joined);
  auto s = h.snap();
  ASSERT_EQ(s.members.size(), 2u);
  EXPECT_EQ(s.members[0].id, "m-b");
  EXPECT_EQ(s.members[1].id, "m-c");
  EXPECT_EQ(h.session->negotiatorFor("m-a"), nullptr);
  EXPECT_EQ(h.net.openOwnedBy("self").size(), 1u);  // B's; C offers to us
}

TEST(RoomSession, RefusedResumeRejoinsFromScratchAndRebuildsPeers) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  const auto oldUid = h.pcFor("m-a")->uid();
  h.socket.drop();
  h.clock.advance(300);
  h.socket.accept();
  h.deliver(h.welcome("tok-new", false));
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Reconnecting);
  EXPECT_EQ(s.recovery, Recovery::FullRejoin);
  EXPECT_TRUE(s.members.empty());
  EXPECT_EQ(h.net.find(oldUid), nullptr);  // closed and released
  EXPECT_EQ(h.sentOf<proto::Join>().size(), 2u);
  proto::Joined joined;
  joined.self = peer("m-self2", "Self");
  joined.room = "room-1";
  joined.members = {peer("m-a", "A")};
  h.deliver(joined);
  h.clock.runReady();
  s = h.snap();
  EXPECT_EQ(s.state, SessionState::Joined);
  EXPECT_EQ(s.recovery, Recovery::None);
  EXPECT_EQ(s.self.id, "m-self2");
  auto* newPc = h.pcFor("m-a");
  ASSERT_NE(newPc, nullptr);
  EXPECT_NE(newPc->uid(), oldUid);
  ASSERT_TRUE(h.lastDescriptionTo("m-a"));
  EXPECT_EQ(h.lastDescriptionTo("m-a")->type, SdpType::Offer);  // we offer again
}

TEST(RoomSession, BackoffGrowsThenGivesUp) {
  SessionConfig config = SessionHarness::defaultConfig();
  config.reconnect.maxAttempts = 4;
  SessionHarness h(config);
  h.joinConference();
  std::vector<std::int64_t> gaps;
  std::int64_t last = h.clock.nowMs();
  for (int i = 0; i < 4; ++i) {
    h.socket.drop();
    const auto opens = h.socket.opened.size();
    while (h.socket.opened.size() == opens) ASSERT_TRUE(h.clock.runOne());
    gaps.push_back(h.clock.nowMs() - last);
    last = h.clock.nowMs();
  }
  EXPECT_EQ(gaps, (std::vector<std::int64_t>{300, 600, 1200, 2400}));
  h.socket.drop();
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Failed);
  EXPECT_EQ(s.error.code, SessionErrorCode::ServerUnreachable);
}

TEST(RoomSession, UnreachableServerAtFirstRetriesThenFails) {
  SessionConfig config = SessionHarness::defaultConfig();
  config.reconnect.maxAttempts = 2;
  SessionHarness h(config);
  h.session->join("room-1", "Ada");
  h.socket.drop();
  EXPECT_EQ(h.snap().state, SessionState::Connecting);
  h.clock.advance(300);
  EXPECT_EQ(h.socket.opened.size(), 2u);
  h.socket.drop();
  h.clock.advance(600);
  h.socket.drop();
  EXPECT_EQ(h.snap().state, SessionState::Failed);
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::ServerUnreachable);
  EXPECT_EQ(h.snap().error.message,
            "Cannot reach the vroom server. Check your connection and try again.");
}

TEST(RoomSession, SilentServerTimesOutAndRetries) {
  SessionHarness h;
  h.session->join("room-1", "Ada");
  h.socket.accept();
  h.clock.advance(9999);
  EXPECT_EQ(h.socket.opened.size(), 1u);
  h.clock.advance(1);
  EXPECT_EQ(h.socket.closes.size(), 1u);
  h.clock.advance(300);
  EXPECT_EQ(h.socket.opened.size(), 2u);
}

TEST(RoomSession, APageBusyInALongTaskStillHearsTheServerThatAnswered) {
  // The socket opened while the page ran one long task (a slow machine, a full mesh): its
  // open waits behind that task, and the handshake timeout, due meanwhile, must not win.
  SessionHarness h;
  h.session->join("room-1", "Ada");
  h.clock.stall(25000);
  h.clock.runReady();
  EXPECT_TRUE(h.socket.closes.empty());
  h.socket.accept();
  h.deliver(h.welcome());
  EXPECT_EQ(h.snap().state, SessionState::Joining);
  EXPECT_EQ(h.socket.opened.size(), 1u);
  // A server that stays silent afterwards is still given up on, in time the page was free.
  h.clock.advance(10000);
  EXPECT_EQ(h.socket.closes.size(), 1u);
}

TEST(RoomSession, FatalCloseCodesFail) {
  struct Case {
    int code;
    SessionErrorCode expected;
  };
  for (const auto& c : std::vector<Case>{{4000, SessionErrorCode::SessionReplaced},
                                         {1008, SessionErrorCode::ProtocolError},
                                         {1007, SessionErrorCode::ProtocolError},
                                         {1009, SessionErrorCode::ProtocolError}}) {
    SessionHarness h;
    h.joinConference();
    h.socket.drop(c.code, "bye");
    EXPECT_EQ(h.snap().state, SessionState::Failed) << c.code;
    EXPECT_EQ(h.snap().error.code, c.expected) << c.code;
  }
}

TEST(RoomSession, DestroyedWithEverythingPendingIsSafe) {
  SessionHarness h;
  h.media.deferCompletion = true;
  h.joinConference({peer("m-a", "A")});
  h.socket.drop();
  h.session.reset();
  h.media.completePending();  // late media promises
  h.clock.runUntilIdle(60000);
  EXPECT_TRUE(h.net.openOwnedBy("self").empty());
}

}  // namespace
}  // namespace vroom::testing
