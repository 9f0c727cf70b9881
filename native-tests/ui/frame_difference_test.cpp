// Which in-room changes need an ImGui frame, per open panel: the bars, toasts and counts always
// do; who speaks only while People is open; peers' connections and media while People or
// Stats lists them; a new revision alone never. And when such a frame may wait (a call being set
// up).
#include "frame_difference.hpp"

#include <gtest/gtest.h>

#include "test_members.hpp"

namespace vroom::ui {
namespace {

SessionSnapshot call() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.members = {test::member("p1", "Ada")};
  return s;
}

struct Case {
  const char* name;
  void (*edit)(SessionSnapshot&);
  bool closed, chat, people, stats;  // a frame needed with that panel open
};

// Failures name the case, not its bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class FrameDifference : public ::testing::TestWithParam<Case> {};

TEST_P(FrameDifference, PerPanel) {
  const Case& c = GetParam();
  const SessionSnapshot before = call();
  SessionSnapshot after = before;
  c.edit(after);
  EXPECT_EQ(roomDrawsDifference(before, after, Panel::None), c.closed) << c.name;
  EXPECT_EQ(roomDrawsDifference(before, after, Panel::Chat), c.chat) << c.name;
  EXPECT_EQ(roomDrawsDifference(before, after, Panel::People), c.people) << c.name;
  EXPECT_EQ(roomDrawsDifference(before, after, Panel::Stats), c.stats) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, FrameDifference,
    ::testing::Values(
        Case{"a new revision", [](SessionSnapshot& s) { s.revision += 1; }, false, false, false,
             false},
        Case{"a peer speaks", [](SessionSnapshot& s) { s.members[0].speaking = true; }, false,
             false, true, false},
        Case{"we speak", [](SessionSnapshot& s) { s.local.speaking = true; }, false, false, true,
             false},
        Case{"a peer's connection",
             [](SessionSnapshot& s) { s.members[0].connection = LinkState::Reconnecting; }, false,
             false, true, true},
        Case{"a viewer joins a broadcast (the host's count)",
             [](SessionSnapshot& s) {
               s.members.push_back(test::member("v1", "Vi", protocol::Role::Viewer));
             },
             true, true, true, true},
        Case{"a chat message (unread count)",
             [](SessionSnapshot& s) {
               s.chat.push_back({"p1", "Ada", "hi", 1, false});
             },
             true, true, true, true},
        Case{"we start sharing (top bar)", [](SessionSnapshot& s) { s.local.sharing = true; }, true,
             true, true, true},
        Case{"recovery (top bar)", [](SessionSnapshot& s) { s.recovery = Recovery::IceRestart; },
             true, true, true, true}));

TEST(FrameDifferenceChat, AChangedLastMessageNeedsAFrameThoughTheCountIsTheSame) {
  SessionSnapshot before = call();
  before.chat.push_back({"p1", "Ada", "hi", 1, false});
  SessionSnapshot after = before;
  after.chat.back().text = "hello";
  EXPECT_TRUE(roomDrawsDifference(before, after, Panel::None));
}

// Frames may wait while the page joins and its links connect, for kCallSetupMs at most.
TEST(SettingUpCall, FromJoinUntilTheLinksConnectOrTheWindowEnds) {
  SessionSnapshot s = call();
  s.state = SessionState::Idle;
  EXPECT_FALSE(settingUpCall(s, 0)) << "the lobby draws at once";
  for (SessionState joining : {SessionState::Connecting, SessionState::Hello, SessionState::Joining}) {
    s.state = joining;
    EXPECT_TRUE(settingUpCall(s, 0)) << toString(joining);
  }
  s.state = SessionState::Joined;
  s.members[0].connection = LinkState::Connecting;
  EXPECT_TRUE(settingUpCall(s, 500));
  EXPECT_FALSE(settingUpCall(s, kCallSetupMs))
      << "a link that never connects holds nothing back for long";
  s.members[0].connection = LinkState::Connected;
  EXPECT_FALSE(settingUpCall(s, 500));
  s.members.clear();
  EXPECT_FALSE(settingUpCall(s, 0)) << "alone in the room: nothing to set up";
  for (SessionState other : {SessionState::Reconnecting, SessionState::Waiting, SessionState::Left,
                             SessionState::Failed}) {
    s.state = other;
    EXPECT_FALSE(settingUpCall(s, 0)) << toString(other);
  }
}

}  // namespace
}  // namespace vroom::ui
