// The announcement rules (ui/announcer.*): what a change of the room says, in order, and a
// busy chat summarised instead of read message by message.
#include "announcer.hpp"

#include <gtest/gtest.h>

#include "test_members.hpp"

namespace vroom::ui {
namespace {

using Said = std::vector<std::string>;

SessionSnapshot joined() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.members = {test::member("p1", "Ada")};
  return s;
}

ChatEntry chat(const std::string& name, const std::string& text, std::int64_t ts) {
  return ChatEntry{"p-" + name, name, text, ts, false};
}

TEST(Announcer, JoiningThenOthersComingMutingAndLeaving) {
  Announcer announcer;
  SessionSnapshot lobby;
  SessionSnapshot in = joined();
  EXPECT_EQ(announcer.update(&lobby, in, 0), Said{"You joined standup."});
  SessionSnapshot more = in;
  more.members.push_back(test::member("p2", "Cy"));
  EXPECT_EQ(announcer.update(&in, more, 1), Said{"Cy joined."});
  SessionSnapshot muted = more;
  muted.members[0].media.audio = false;
  EXPECT_EQ(announcer.update(&more, muted, 2), Said{"Ada muted."});
  SessionSnapshot left = muted;
  left.members.erase(left.members.begin());
  EXPECT_EQ(announcer.update(&muted, left, 3), Said{"Ada left."});
  EXPECT_EQ(announcer.update(&left, left, 4), Said{}) << "no change, nothing said";
}

TEST(Announcer, TheMembersPresentWhenJoiningAreNotAnnouncedOneByOne) {
  Announcer announcer;
  SessionSnapshot joining;
  joining.state = SessionState::Joining;
  SessionSnapshot in = joined();
  in.members.push_back(test::member("p2", "Cy"));
  EXPECT_EQ(announcer.update(&joining, in, 0), Said{"You joined standup."});
}

TEST(Announcer, ChatIsReadWithItsSenderButMyOwnIsNot) {
  Announcer announcer;
  SessionSnapshot before = joined();
  SessionSnapshot after = before;
  after.chat = {chat("Ada", "hello", 1)};
  EXPECT_EQ(announcer.update(&before, after, 0), Said{"Ada says: hello"});
  SessionSnapshot mine = after;
  mine.chat.push_back(ChatEntry{"me", "Bob", "hi", 2, true});
  EXPECT_EQ(announcer.update(&after, mine, 1), Said{});
}

TEST(Announcer, ABusyChatIsSummarised) {
  Announcer announcer;
  SessionSnapshot s = joined();
  std::vector<std::string> all;
  for (int i = 0; i < 10; ++i) {
    SessionSnapshot next = s;
    next.chat.push_back(chat(i % 2 ? "Ada" : "Cy", "message " + std::to_string(i), i));
    for (std::string& line : announcer.update(&s, next, 100.0 * i)) all.push_back(line);
    s = next;
  }
  // Three read, one summary, then quiet for the rest of the window.
  EXPECT_EQ(all, (Said{"Cy says: message 0", "Ada says: message 1", "Cy says: message 2",
                       "1 new message from Ada."}));
  // The next window starts with what arrived meanwhile, with a burst: one sentence.
  SessionSnapshot burst = s;
  for (int i = 0; i < 5; ++i) burst.chat.push_back(chat(i ? "Ada" : "Dee", "x", 100 + i));
  EXPECT_EQ(announcer.update(&s, burst, 60000), Said{"11 new messages from Cy, Ada and 1 more."});
  // After a quiet window messages are read again.
  SessionSnapshot quiet = burst;
  quiet.chat.push_back(chat("Ada", "back", 200));
  EXPECT_EQ(announcer.update(&burst, quiet, 80000), Said{"Ada says: back"});
}

TEST(Announcer, ErrorsAndConnectionProblemsAreAnnouncedOnce) {
  Announcer announcer;
  SessionSnapshot s = joined();
  SessionSnapshot lost = s;
  lost.state = SessionState::Reconnecting;
  EXPECT_EQ(announcer.update(&s, lost, 0), Said{"Connection lost, reconnecting."});
  EXPECT_EQ(announcer.update(&lost, s, 1), Said{"Reconnected."});
  SessionSnapshot failed = s;
  failed.error = {SessionErrorCode::RoomLocked, "The room is locked."};
  EXPECT_EQ(announcer.update(&s, failed, 2), Said{"Error: The room is locked."});
  EXPECT_EQ(announcer.update(&failed, failed, 3), Said{});
}

}  // namespace
}  // namespace vroom::ui
