// The chat panel: formatting helpers as tables, then headless frames: rows drawn from the
// snapshot, Enter and the Send button call sendChat once with trimmed text, the code-point
// cap refuses the 1001st character, and the log follows new messages unless scrolled up.
#include "chat_panel.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "recording_actions.hpp"

namespace vroom::ui {
namespace {

constexpr std::int64_t at(int hours, int minutes) {
  return (static_cast<std::int64_t>(hours) * 60 + minutes) * 60'000;
}

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

struct ClockCase {
  std::int64_t ts;
  int offset;
  const char* expected;
};

class ClockFormat : public ::testing::TestWithParam<ClockCase> {};

TEST_P(ClockFormat, HoursAndMinutes) {
  const ClockCase& c = GetParam();
  EXPECT_EQ(formatClock(c.ts, c.offset), c.expected) << c.ts << " offset " << c.offset;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ClockFormat,
    ::testing::Values(ClockCase{0, 0, "00:00"}, ClockCase{at(14, 5), 0, "14:05"},
                      ClockCase{at(14, 5) + 59'999, 0, "14:05"},  // seconds are dropped
                      ClockCase{at(23, 59), 0, "23:59"}, ClockCase{at(24, 0), 0, "00:00"},
                      ClockCase{1'700'000'000'000, 0, "22:13"},  // 2023-11-14 22:13:20 UTC
                      ClockCase{at(23, 30), 60, "00:30"},        // east of UTC, next day
                      ClockCase{at(0, 30), -90, "23:00"},        // west of UTC, day before
                      ClockCase{at(12, 0), 330, "17:30"},        // UTC+5:30
                      ClockCase{-60'000, 0, "23:59"}));          // before the epoch

TEST(ChatHelpers, Header) {
  ChatEntry entry{"p1", "Ada", "hi", at(9, 7), false};
  EXPECT_EQ(chatHeader(entry), "Ada  09:07");
  entry.mine = true;
  EXPECT_EQ(chatHeader(entry), "Ada (you)  09:07");
  EXPECT_EQ(chatHeader(entry, 60), "Ada (you)  10:07");
  entry = ChatEntry{"p2", "", "x", 0, false};
  EXPECT_EQ(chatHeader(entry), "Someone  00:00");
}

TEST(ChatHelpers, Trim) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},         {"   ", ""},    {"\t\r\n", ""},     {"hi", "hi"},        {"  hi  ", "hi"},
      {"\nhi\n", "hi"}, {"a b", "a b"}, {" a  b ", "a  b"}, {" héllo ", "héllo"}};
  for (const auto& [in, out] : cases) EXPECT_EQ(trimChat(in), out) << "'" << in << "'";
}

TEST(ChatHelpers, CapCountsCodePointsAndNeverSplitsThem) {
  EXPECT_EQ(capCodePoints("hello", 3), "hel");
  EXPECT_EQ(capCodePoints("hello", 5), "hello");
  EXPECT_EQ(capCodePoints("hello", 50), "hello");
  EXPECT_EQ(capCodePoints("hello", 0), "");
  EXPECT_EQ(capCodePoints("ééé", 2), "éé");  // 2-byte sequences kept whole
  EXPECT_EQ(capCodePoints("a€b", 2), "a€");  // 3 bytes
  EXPECT_EQ(capCodePoints("\xF0\x9F\x98\x80x", 1), "\xF0\x9F\x98\x80");  // 4-byte emoji
  const std::string thousand = repeat("é", 1000);
  EXPECT_EQ(capCodePoints(thousand + "é", 1000), thousand);
  EXPECT_EQ(protocol::codePointCount(capCodePoints(repeat("€", 1500), 1000)), 1000u);
}

TEST(ChatHelpers, CounterAndSendable) {
  EXPECT_EQ(chatCounter("", 1000), "0/1000");
  EXPECT_EQ(chatCounter("héé", 1000), "3/1000");
  EXPECT_EQ(chatCounter(repeat("é", 1000), 1000), "1000/1000");
  EXPECT_FALSE(canSendChat("", 1000));
  EXPECT_FALSE(canSendChat(" \n\t ", 1000));
  EXPECT_TRUE(canSendChat(" hi ", 1000));
  EXPECT_TRUE(canSendChat(repeat("é", 10), 10));
  EXPECT_FALSE(canSendChat(repeat("é", 11), 10));
  EXPECT_TRUE(canSendChat("  " + repeat("a", 10) + "  ", 10)) << "blanks are trimmed first";
}

TEST(ChatHelpers, LabelSafe) {
  EXPECT_EQ(labelSafe("Ada"), "Ada");
  EXPECT_EQ(labelSafe("a##b"), "a# #b");
  EXPECT_EQ(labelSafe("###"), "# # #");
  EXPECT_EQ(labelSafe("#x#"), "#x#");
}

class ChatFrames : public ::testing::Test {
 protected:
  ChatFrames() {
    snapshot.state = SessionState::Joined;
    snapshot.self = {"me", "Bob", protocol::Role::Member};
  }

  test::ImGuiHarness ui{1280, 800};
  SessionSnapshot snapshot;
  ChatPanelState state;
  RecordingActions actions;
  std::size_t maxChars = protocol::kMaxChatChars;
  test::ImGuiHarness::Draw draw = [this] {
    ImGui::SetNextWindowPos(ImVec2(900, 0));
    ImGui::SetNextWindowSize(ImVec2(340, 600));
    ImGui::Begin("Chat", nullptr, ImGuiWindowFlags_NoSavedSettings);
    drawChatPanel(snapshot, state, actions, maxChars);
    ImGui::End();
  };

  // The child window holding the log, for scroll checks.
  ImGuiWindow* log() const {
    for (ImGuiWindow* w : GImGui->Windows)
      if (std::string(w->Name).find("##chat-log") != std::string::npos) return w;
    return nullptr;
  }
};

TEST_F(ChatFrames, MessagesShowNamesTimesAndYourOwnMarked) {
  snapshot.chat = {{"p1", "Ada", "Hello everyone", at(14, 5), false},
                   {"me", "Bob", "Hi Ada", at(14, 6), true}};
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Ada  14:05")) << ::testing::PrintToString(ui.labels());
  EXPECT_TRUE(ui.has("Bob (you)  14:06"));
  EXPECT_TRUE(ui.has("Message"));
  EXPECT_TRUE(ui.has("Send"));
  EXPECT_TRUE(ui.isDisabled("Send")) << "nothing typed yet";

  state.utcOffsetMinutes = 120;
  ui.frame(draw);
  EXPECT_TRUE(ui.has("Ada  16:05"));
}

TEST_F(ChatFrames, LongMessagesWrapInsideThePanel) {
  snapshot.chat = {{"p1", "Ada", repeat("word ", 200), at(1, 0), false},
                   {"p2", "Cy", "short", at(1, 1), false}};
  ui.settle(draw);
  const auto first = ui.rectOf("Ada  01:00");
  const auto second = ui.rectOf("Cy  01:01");
  ASSERT_TRUE(first && second);
  // 1000 characters on one line would be ~7000 px wide; wrapped they take many lines.
  EXPECT_GT(second->Min.y - first->Max.y, 10 * ImGui::GetTextLineHeight());
  EXPECT_LE(second->Max.x, 900.0f + 340.0f);
}

TEST_F(ChatFrames, EnterSendsTrimmedTextOnceAndClearsTheDraft) {
  ui.settle(draw);
  ASSERT_TRUE(ui.type("Message", "  hello there  ", draw));
  EXPECT_EQ(state.draft, "  hello there  ");
  EXPECT_FALSE(ui.isDisabled("Send"));
  ui.pressKey(ImGuiKey_Enter, draw);
  ASSERT_EQ(actions.chats, std::vector<std::string>{"hello there"});
  EXPECT_EQ(actions.calls, std::vector<std::string>{"chat"});
  EXPECT_EQ(state.draft, "");
  ui.settle(draw);
  EXPECT_EQ(actions.chats.size(), 1u) << "no repeat on later frames";

  // Focus stayed in the input: the next message is typed without clicking.
  ImGui::GetIO().AddInputCharactersUTF8("again");
  ui.frame(draw);
  EXPECT_EQ(state.draft, "again");
  ui.pressKey(ImGuiKey_Enter, draw);
  EXPECT_EQ(actions.chats, (std::vector<std::string>{"hello there", "again"}));
}

TEST_F(ChatFrames, BlankDraftIsNotSent) {
  ui.settle(draw);
  ui.pressKey(ImGuiKey_Enter, draw);
  ASSERT_TRUE(ui.type("Message", "   ", draw));
  ui.pressKey(ImGuiKey_Enter, draw);
  EXPECT_TRUE(ui.isDisabled("Send"));
  ui.click("Send", draw);
  EXPECT_TRUE(actions.calls.empty());
}

TEST_F(ChatFrames, SendButtonSends) {
  ui.settle(draw);
  ASSERT_TRUE(ui.type("Message", "via button", draw));
  ASSERT_TRUE(ui.click("Send", draw));
  EXPECT_EQ(actions.chats, std::vector<std::string>{"via button"});
  EXPECT_EQ(state.draft, "");
}

TEST_F(ChatFrames, InputCapsAtTheLimitInCodePoints) {
  ui.settle(draw);
  const std::string thousand = repeat("é", 1000);
  ASSERT_TRUE(ui.type("Message", thousand, draw));
  EXPECT_EQ(state.draft, thousand) << "1000 two-byte characters fit";
  EXPECT_EQ(chatCounter(state.draft, maxChars), "1000/1000");
  ImGui::GetIO().AddInputCharactersUTF8("é");
  ui.frame(draw);
  EXPECT_EQ(state.draft, thousand) << "the 1001st is refused";
  ImGui::GetIO().AddInputCharactersUTF8("abc");
  ui.frame(draw);
  EXPECT_EQ(state.draft, thousand);
  ui.pressKey(ImGuiKey_Enter, draw);
  ASSERT_EQ(actions.chats.size(), 1u);
  EXPECT_EQ(actions.chats[0], thousand);
}

TEST_F(ChatFrames, ManyCharactersAtOnceAreCutAtTheLimitWithoutSplittingOne) {
  maxChars = 5;
  ui.settle(draw);
  ASSERT_TRUE(ui.type("Message", "ab€", draw));
  // One frame's worth of input crossing the cap: the excess at the cursor is dropped.
  ImGui::GetIO().AddInputCharactersUTF8("€€€€");
  ui.frame(draw);
  EXPECT_EQ(state.draft, "ab€€€");
  EXPECT_EQ(protocol::codePointCount(state.draft), 5u);
}

TEST_F(ChatFrames, TypingInTheMiddleAtTheLimitKeepsTheTextAround) {
  maxChars = 3;
  ui.settle(draw);
  ASSERT_TRUE(ui.type("Message", "abc", draw));
  ui.pressKey(ImGuiKey_LeftArrow, draw);
  ImGui::GetIO().AddInputCharactersUTF8("é");
  ui.frame(draw);
  EXPECT_EQ(state.draft, "abc") << "the refused character is the one just typed";
  ui.pressKey(ImGuiKey_Backspace, draw);  // deletes "b"
  ImGui::GetIO().AddInputCharactersUTF8("éé");
  ui.frame(draw);
  EXPECT_EQ(state.draft, "aéc");
}

TEST_F(ChatFrames, OverLongDraftFromOutsideIsCapped) {
  maxChars = 4;
  state.draft = "abcdefg";
  ui.settle(draw);
  EXPECT_EQ(state.draft, "abcd");
}

TEST_F(ChatFrames, FollowsNewMessagesUnlessScrolledUp) {
  for (int i = 0; i < 60; ++i)
    snapshot.chat.push_back({"p1", "Ada", "message " + std::to_string(i), at(10, i % 60), false});
  ui.settle(draw);
  ImGuiWindow* w = log();
  ASSERT_NE(w, nullptr);
  ASSERT_GT(w->ScrollMax.y, 0.0f) << "enough messages to scroll";
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y) << "opens at the newest";

  snapshot.chat.push_back({"p1", "Ada", "one more", at(11, 0), false});
  ui.settle(draw);
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y) << "still following";
  EXPECT_FALSE(state.newBelow);

  // The person scrolls up to read: a new message must not yank them down.
  ImGui::SetScrollY(w, 0.0f);
  ui.frame(draw);
  snapshot.chat.push_back({"p1", "Ada", "while reading", at(11, 1), false});
  ui.settle(draw);
  EXPECT_LT(w->Scroll.y, w->ScrollMax.y);
  EXPECT_TRUE(state.newBelow);
  ASSERT_TRUE(ui.has("New messages: show the newest"));
  ASSERT_TRUE(ui.click("New messages: show the newest", draw));
  ui.settle(draw);
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y);
  EXPECT_FALSE(state.newBelow);

  // Your own message always brings the log to the end.
  ImGui::SetScrollY(w, 0.0f);
  ui.frame(draw);
  snapshot.chat.push_back({"me", "Bob", "mine", at(11, 2), true});
  ui.settle(draw);
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y);
}

TEST_F(ChatFrames, EmptyChatSaysSoAndNewSessionResets) {
  ui.settle(draw);
  EXPECT_EQ(state.shownCount, 0u);
  snapshot.chat = {{"p1", "Ada", "x", 0, false}, {"p1", "Ada", "y", 0, false}};
  ui.settle(draw);
  EXPECT_EQ(state.shownCount, 2u);
  snapshot.chat.clear();  // left and joined another room
  ui.settle(draw);
  EXPECT_EQ(state.shownCount, 0u);
}

TEST_F(ChatFrames, FocusRequestPutsTheCursorInTheInput) {
  ui.settle(draw);
  state.focusInput = true;
  ui.frame(draw);
  EXPECT_FALSE(state.focusInput);
  ui.frame(draw);  // ImGui resolves a focus request at the end of a frame
  ImGui::GetIO().AddInputCharactersUTF8("typed");
  ui.frame(draw);
  EXPECT_EQ(state.draft, "typed");
  EXPECT_TRUE(ImGui::GetIO().WantTextInput) << "overlay shortcuts stay quiet while typing";
}

}  // namespace
}  // namespace vroom::ui
