// The toolbar in headless ImGui frames: each button, clicked by its label, either records the
// RoomActions command it stands for or returns its view request; which buttons a viewer, an
// audio-only room or a broadcast shows.
#include "toolbar.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

SessionSnapshot conference() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.members = {test::member("p1", "Ada")};
  return s;
}

class ToolbarFrames : public ::testing::Test {
 protected:
  // Clicks `label`; returns the view request the toolbar answered with, if any.
  ViewRequest click(const std::string& label) {
    ViewRequest got = ViewRequest::None;
    const auto draw = [&] {
      const ViewRequest r = drawToolbar(s, actions, state);
      if (r != ViewRequest::None) got = r;
    };
    ui.settle(draw);
    EXPECT_TRUE(ui.click(label, draw)) << "no button " << label;
    return got;
  }
  void draw() {
    ui.settle([&] { drawToolbar(s, actions, state); });
  }

  test::ImGuiHarness ui{1280, 800};
  RecordingActions actions;
  ToolbarState state;
  SessionSnapshot s = conference();
};

TEST_F(ToolbarFrames, MuteAndUnmuteTheMicrophone) {
  EXPECT_EQ(click("Mute"), ViewRequest::None);
  s.local.microphoneOn = false;
  EXPECT_EQ(click("Unmute"), ViewRequest::None);
  EXPECT_FALSE(ui.has("Mute"));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"mic:off", "mic:on"}));
}

TEST_F(ToolbarFrames, StopAndStartTheCamera) {
  click("Stop video");
  s.local.cameraOn = false;
  click("Start video");
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"cam:off", "cam:on"}));
}

TEST_F(ToolbarFrames, ShareAndStopSharingTheScreen) {
  click("Share screen");
  s.local.sharing = true;
  click("Stop sharing");
  EXPECT_FALSE(ui.has("Share screen"));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"share:start", "share:stop"}));
}

TEST_F(ToolbarFrames, Leave) {
  click("Leave");
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"leave"}));
}

TEST_F(ToolbarFrames, PanelAndViewButtonsAskForAViewChangeOnly) {
  EXPECT_EQ(click("Chat"), ViewRequest::ToggleChat);
  EXPECT_EQ(click("People"), ViewRequest::TogglePeople);
  EXPECT_EQ(click("Stats"), ViewRequest::ToggleStats);
  EXPECT_EQ(click("Speaker view"), ViewRequest::ToggleSpeakerView);
  state.speakerView = true;
  EXPECT_EQ(click("Grid view"), ViewRequest::ToggleSpeakerView);
  EXPECT_TRUE(actions.calls.empty()) << "the session is not involved";
}

TEST_F(ToolbarFrames, TheChatButtonCountsUnreadMessages) {
  state.unreadChat = 2;
  EXPECT_EQ(click("Chat (2)"), ViewRequest::ToggleChat);
  EXPECT_FALSE(ui.has("Chat"));
}

TEST_F(ToolbarFrames, ItReportsTheHeightTheTilesMustLeaveFree) {
  state.height = 0;
  draw();
  EXPECT_GT(state.height, 20.0f);
  const auto leave = ui.rectOf("Leave");
  ASSERT_TRUE(leave);
  EXPECT_GE(leave->Min.y, 800 - state.height) << "the bar lies within the height it reports";
  EXPECT_LE(leave->Max.y, 800);
}

struct ButtonsCase {
  const char* name;
  void (*edit)(SessionSnapshot&);
  std::vector<std::string> shown;
  std::vector<std::string> absent;
};

// Failures name the case, not its bytes.
void PrintTo(const ButtonsCase& c, std::ostream* os) {
  *os << c.name;
}

class ToolbarButtons : public ::testing::TestWithParam<ButtonsCase> {};

TEST_P(ToolbarButtons, WhoSeesWhichButton) {
  const ButtonsCase& c = GetParam();
  test::ImGuiHarness ui{1280, 800};
  RecordingActions actions;
  ToolbarState state;
  SessionSnapshot s = conference();
  c.edit(s);
  ui.settle([&] { drawToolbar(s, actions, state); });
  for (const std::string& label : c.shown) EXPECT_TRUE(ui.has(label)) << c.name << ": " << label;
  for (const std::string& label : c.absent) EXPECT_FALSE(ui.has(label)) << c.name << ": " << label;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ToolbarButtons,
    ::testing::Values(ButtonsCase{"conference member",
                                  [](SessionSnapshot&) {},
                                  {"Mute", "Stop video", "Share screen", "Chat", "People", "Stats",
                                   "Speaker view", "Leave"},
                                  {}},
                      ButtonsCase{"audio-only room",
                                  [](SessionSnapshot& s) { s.audioOnly = true; },
                                  {"Mute", "Chat", "Leave"},
                                  {"Stop video", "Share screen"}},
                      ButtonsCase{"broadcast host",
                                  [](SessionSnapshot& s) {
                                    s.mode = protocol::Mode::Broadcast;
                                    s.self.role = protocol::Role::Host;
                                  },
                                  {"Mute", "Stop video", "Chat", "Leave"},
                                  {"Share screen", "Speaker view"}},
                      ButtonsCase{
                          "broadcast viewer",
                          [](SessionSnapshot& s) {
                            s.mode = protocol::Mode::Broadcast;
                            s.self.role = protocol::Role::Viewer;
                          },
                          {"Chat", "People", "Stats", "Leave"},
                          {"Mute", "Unmute", "Stop video", "Share screen", "Speaker view"}}));

TEST(ToolbarLayout, ButtonsWrapOntoRowsOnAPhone) {
  test::ImGuiHarness ui{360, 740};
  RecordingActions actions;
  ToolbarState state;
  const SessionSnapshot s = conference();
  ui.settle([&] { drawToolbar(s, actions, state); });
  const auto mute = ui.rectOf("Mute"), leave = ui.rectOf("Leave");
  ASSERT_TRUE(mute && leave);
  EXPECT_GT(leave->Min.y, mute->Max.y) << "Leave wrapped below the first row";
  for (const std::string& label : ui.labels()) EXPECT_LE(ui.rectOf(label)->Max.x, 360) << label;
}

}  // namespace
}  // namespace vroom::ui
