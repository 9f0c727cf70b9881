// The side panel window in headless ImGui frames: it draws the open panel's contents (chat's
// Send records a chat action), sits beside the tiles on wide windows and spans a phone's width,
// leaves the toolbar free, and its close button closes it.
#include "side_panel.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "layout.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"
#include "top_bar.hpp"

namespace vroom::ui {
namespace {

class SidePanelFrames : public ::testing::Test {
 protected:
  SidePanelFrames() {
    s.state = SessionState::Joined;
    s.self = {"me", "Bob", protocol::Role::Member};
    s.members = {test::member("p1", "Ada")};
  }
  void draw() { ui.settle(drawIt); }
  const ImGuiWindow* window() const { return ImGui::FindWindowByName("###panel"); }
  // Clicks the window's title-bar close button (ImGui gives it no label to find it by).
  void clickClose() {
    const ImGuiWindow* w = window();
    ASSERT_TRUE(w);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float size = ImGui::GetFontSize();
    const ImRect bar = w->TitleBarRect();
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(bar.Max.x - 2 * style.FramePadding.x - size / 2,
                         bar.Min.y + style.FramePadding.y + size / 2);
    ui.frame(drawIt);
    io.MouseDown[0] = true;
    ui.frame(drawIt);
    io.MouseDown[0] = false;
    ui.frame(drawIt);
  }

  test::ImGuiHarness ui{1280, 800};
  RecordingActions actions;
  SessionSnapshot s;
  Panel panel = Panel::Chat;
  ChatPanelState chat;
  StatsHistory stats;
  ModerationState moderation;
  float toolbarHeight = 72.0f;
  const test::ImGuiHarness::Draw drawIt = [this] {
    drawSidePanel(s, panel, toolbarHeight, {chat, stats, moderation}, actions);
  };
};

TEST_F(SidePanelFrames, TheChatPanelSendsThroughRoomActions) {
  chat.draft = "hello";
  draw();
  ASSERT_TRUE(ui.click("Send", drawIt));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"chat"}));
  EXPECT_EQ(actions.chats, (std::vector<std::string>{"hello"}));
}

TEST_F(SidePanelFrames, NoPanelNoWindowAndEachPanelItsContents) {
  panel = Panel::None;
  draw();
  EXPECT_TRUE(ui.labels().empty());
  panel = Panel::Stats;
  draw();
  EXPECT_FALSE(ui.has("Send"));
  ASSERT_TRUE(window());
  EXPECT_TRUE(window()->Active);
  panel = Panel::Chat;
  draw();
  EXPECT_TRUE(ui.has("Send"));
}

TEST_F(SidePanelFrames, BesideTheTilesOnWideWindowsAcrossThemOnPhones) {
  draw();
  EXPECT_FLOAT_EQ(window()->Size.x, kPanelWidth - 8.0f);
  EXPECT_FLOAT_EQ(window()->Pos.x + window()->Size.x, 1280 - 8.0f);
  EXPECT_FLOAT_EQ(window()->Pos.y, kTopBarHeight + 4.0f);
  EXPECT_LE(window()->Pos.y + window()->Size.y, 800 - toolbarHeight) << "the toolbar stays free";
  ui.resize(360, 740);
  draw();
  EXPECT_FLOAT_EQ(window()->Size.x, 360 - 16.0f);
}

TEST_F(SidePanelFrames, TheCloseButtonClosesThePanel) {
  panel = Panel::People;
  draw();
  clickClose();
  EXPECT_EQ(panel, Panel::None);
  EXPECT_TRUE(actions.calls.empty());
}

}  // namespace
}  // namespace vroom::ui
