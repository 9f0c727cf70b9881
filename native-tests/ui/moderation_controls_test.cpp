// A moderator's controls in the people panel, in headless frames: shown only to moderators,
// "Ask to mute" at once, "Remove" and "End" only after a confirmation, lock and unlock.
#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "people_panel.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

using test::member;

class ModerationFrames : public ::testing::Test {
 protected:
  ModerationFrames() {
    snapshot.state = SessionState::Joined;
    snapshot.room = "standup";
    snapshot.self = {"me", "Ann", protocol::Role::Member, true};
    snapshot.local.hasMicrophone = snapshot.local.hasCamera = true;
    snapshot.members = {member("p1", "Bob")};
  }
  test::ImGuiHarness ui{1280, 800};
  SessionSnapshot snapshot;
  RecordingActions actions;
  ModerationState state;
  test::ImGuiHarness::Draw draw = [this] {
    ImGui::SetNextWindowPos(ImVec2(900, 0));
    ImGui::SetNextWindowSize(ImVec2(360, 600));
    ImGui::Begin("People", nullptr, ImGuiWindowFlags_NoSavedSettings);
    drawPeoplePanel(snapshot, nullptr, &actions, &state);
    ImGui::End();
  };
};

TEST_F(ModerationFrames, OnlyModeratorsSeeTheControls) {
  snapshot.self.moderator = false;
  ui.settle(draw);
  for (const char* label : {"Lock room", "End meeting", "Ask to mute", "Remove"})
    EXPECT_FALSE(ui.has(label)) << label;
  snapshot.self.moderator = true;
  ui.settle(draw);
  for (const char* label : {"Lock room", "End meeting", "Ask to mute", "Remove"})
    EXPECT_TRUE(ui.has(label)) << label << ::testing::PrintToString(ui.labels());
  EXPECT_TRUE(ui.has("Ann (you)\nMember, moderator, mic on, camera on, connected"));
}

TEST_F(ModerationFrames, AskToMuteGoesAtOnceAndIsOffForTheMuted) {
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Ask to mute", draw));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"mute:p1"}));
  snapshot.members[0].media.audio = false;
  ui.settle(draw);
  EXPECT_TRUE(ui.isDisabled("Muted"));
}

TEST_F(ModerationFrames, RemoveAsksFirstAndCanKeepThePersonOut) {
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Remove", draw));
  ui.settle(draw);
  EXPECT_TRUE(actions.calls.empty());  // nothing until confirmed
  ASSERT_TRUE(ui.has("Remove and keep out")) << ::testing::PrintToString(ui.labels());
  ASSERT_TRUE(ui.click("Cancel", draw));
  ui.settle(draw);
  EXPECT_TRUE(actions.calls.empty());
  EXPECT_FALSE(ui.has("Remove and keep out"));
  ASSERT_TRUE(ui.click("Remove", draw));
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Remove and keep out", draw));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"remove:p1:ban"}));
}

TEST_F(ModerationFrames, LockAndEndTheRoom) {
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Lock room", draw));
  snapshot.locked = true;
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Unlock room", draw));
  ASSERT_TRUE(ui.click("End meeting", draw));
  ui.settle(draw);
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"lock", "unlock"}));  // end waits
  ASSERT_TRUE(ui.click("End for everyone", draw));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"lock", "unlock", "end"}));
  snapshot.mode = protocol::Mode::Broadcast;
  snapshot.self.role = protocol::Role::Host;
  ui.settle(draw);
  EXPECT_TRUE(ui.has("End broadcast"));
}

}  // namespace
}  // namespace vroom::ui
