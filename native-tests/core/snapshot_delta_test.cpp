// The JS API's state deltas: every section the first time, then only the sections a change
// touched (a speaking flag is the members, a mute is local), chat as appended entries with
// the oldest dropped once the history is full, and text that is not UTF-8 replaced.
#include "snapshot_delta.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vroom {
namespace {

using json = nlohmann::json;

SessionSnapshot joined() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  MemberSnapshot ada;
  ada.id = "p1";
  ada.name = "Ada";
  ada.connection = LinkState::Connected;
  s.members.push_back(ada);
  s.local.devices.push_back({"mic1", DeviceKind::AudioInput, "Desk microphone"});
  s.revision = 7;
  return s;
}

ChatEntry line(const std::string& text, std::int64_t ts) {
  return {"p1", "Ada", text, ts, false};
}

json delta(const SessionSnapshot* before, const SessionSnapshot& after) {
  return json::parse(snapshotDelta(before, after));
}

std::vector<std::string> sections(const json& d) {
  std::vector<std::string> out;
  for (const auto& [key, value] : d.items())
    if (key != "revision") out.push_back(key);
  return out;
}

TEST(SnapshotDelta, TheFirstHasEverySectionInTheApiNames) {
  const json d = delta(nullptr, joined());
  EXPECT_EQ(d["revision"], 7);
  EXPECT_EQ(sections(d), (std::vector<std::string>{"chat", "local", "members", "session"}));
  EXPECT_EQ(d["session"]["state"], "joined");
  EXPECT_EQ(d["session"]["errorCode"], "");
  EXPECT_EQ(d["session"]["self"]["role"], "member");
  EXPECT_EQ(d["members"][0]["connection"], "connected");
  EXPECT_EQ(d["members"][0]["media"]["audio"], true);
  EXPECT_EQ(d["local"]["microphone"], true);
  EXPECT_EQ(d["local"]["devices"][0]["kind"], "audioinput");
  EXPECT_EQ(d["chat"]["drop"], 0);
  EXPECT_TRUE(d["chat"]["append"].empty());
}

struct SectionCase {
  const char* name;
  void (*edit)(SessionSnapshot&);
  std::vector<std::string> expected;
};

class SnapshotSections : public ::testing::TestWithParam<SectionCase> {};

TEST_P(SnapshotSections, OnlyWhatChanged) {
  const SectionCase& c = GetParam();
  const SessionSnapshot before = joined();
  SessionSnapshot after = before;
  c.edit(after);
  ++after.revision;
  const json d = delta(&before, after);
  EXPECT_EQ(d["revision"], 8) << c.name;
  EXPECT_EQ(sections(d), c.expected) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SnapshotSections,
    ::testing::Values(
        SectionCase{"nothing", [](SessionSnapshot&) {}, {}},
        SectionCase{"someone speaks",
                    [](SessionSnapshot& s) { s.members[0].speaking = true; },
                    {"members"}},
        SectionCase{"we mute", [](SessionSnapshot& s) { s.local.microphoneOn = false; }, {"local"}},
        SectionCase{"an error",
                    [](SessionSnapshot& s) {
                      s.error = {SessionErrorCode::RoomFull, "The room is full."};
                    },
                    {"session"}},
        SectionCase{"a mute request",
                    [](SessionSnapshot& s) {
                      s.notice = {SessionErrorCode::MuteRequested, "Ada asked you to mute."};
                    },
                    {"session"}},
        SectionCase{"the room locks", [](SessionSnapshot& s) { s.locked = true; }, {"session"}},
        SectionCase{"a moderation",
                    [](SessionSnapshot& s) { s.moderation = {1, "lock", "", "", "p1", "Ada"}; },
                    {"session"}},
        SectionCase{"moderation passes to Ada",
                    [](SessionSnapshot& s) { s.members[0].moderator = true; },
                    {"members"}},
        SectionCase{
            "a chat line", [](SessionSnapshot& s) { s.chat.push_back(line("hi", 1)); }, {"chat"}},
        SectionCase{"reconnecting",
                    [](SessionSnapshot& s) {
                      s.state = SessionState::Reconnecting;
                      s.reconnectAttempt = 1;
                      s.members[0].connection = LinkState::Reconnecting;
                    },
                    {"members", "session"}}));

TEST(SnapshotDelta, ModerationInTheApiNames) {
  SessionSnapshot s = joined();
  s.self.moderator = true;
  s.locked = true;
  s.notice = {SessionErrorCode::MuteRequested, "Ada asked you to mute."};
  s.moderation = {3, "remove", "p2", "Eve", "me", "Bob", true};
  const json d = delta(nullptr, s);
  EXPECT_EQ(d["session"]["self"]["moderator"], true);
  EXPECT_EQ(d["members"][0]["moderator"], false);
  EXPECT_EQ(d["session"]["locked"], true);
  EXPECT_EQ(d["session"]["noticeCode"], "mute_requested");
  EXPECT_EQ(d["session"]["notice"], "Ada asked you to mute.");
  EXPECT_EQ(d["session"]["moderation"], (json{{"seq", 3},
                                              {"action", "remove"},
                                              {"peer", "p2"},
                                              {"peerName", "Eve"},
                                              {"by", "me"},
                                              {"byName", "Bob"},
                                              {"ban", true}}));
}

TEST(SnapshotDelta, ChatArrivesAsNewEntriesAndTheOldestLeaveWhenFull) {
  SessionSnapshot a = joined();
  for (int i = 0; i < 3; ++i) a.chat.push_back(line("m" + std::to_string(i), i));
  SessionSnapshot b = a;
  b.chat.push_back(line("m3", 3));
  json d = delta(&a, b);
  EXPECT_EQ(d["chat"]["drop"], 0);
  ASSERT_EQ(d["chat"]["append"].size(), 1u);
  EXPECT_EQ(d["chat"]["append"][0]["text"], "m3");
  EXPECT_EQ(d["chat"]["append"][0]["ts"], 3);
  // The history is full: one in at the back, one out at the front (same size).
  SessionSnapshot c = b;
  c.chat.erase(c.chat.begin());
  c.chat.push_back(line("m4", 4));
  d = delta(&b, c);
  EXPECT_EQ(d["chat"]["drop"], 1);
  ASSERT_EQ(d["chat"]["append"].size(), 1u);
  EXPECT_EQ(d["chat"]["append"][0]["text"], "m4");
  // A new room: nothing shared, everything replaced.
  SessionSnapshot fresh = joined();
  fresh.chat.push_back(line("new room", 9));
  d = delta(&c, fresh);
  EXPECT_EQ(d["chat"]["drop"], 4);
  ASSERT_EQ(d["chat"]["append"].size(), 1u);
  // Left the room: the history is emptied.
  SessionSnapshot left = joined();
  d = delta(&c, left);
  EXPECT_EQ(d["chat"]["drop"], 4);
  EXPECT_TRUE(d["chat"]["append"].empty());
}

TEST(SnapshotDelta, TextThatIsNotUtf8IsReplacedNotFatal) {
  SessionSnapshot s = joined();
  s.local.devices[0].label = std::string("Mic \xed\xa0\x80 (lone surrogate)");
  const json d = delta(nullptr, s);
  const std::string label = d["local"]["devices"][0]["label"];
  EXPECT_NE(label.find("Mic "), std::string::npos);
  EXPECT_NE(label.find("(lone surrogate)"), std::string::npos);
}

}  // namespace
}  // namespace vroom
