// The error toast and the notice in headless ImGui frames: each shows only while the snapshot
// holds one, its button (clicked by label) clears it through RoomActions, and a notice shown
// with an error sits below it.
#include "toasts.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "recording_actions.hpp"
#include "top_bar.hpp"

namespace vroom::ui {
namespace {

class ToastFrames : public ::testing::Test {
 protected:
  void draw() { ui.settle(drawIt); }

  test::ImGuiHarness ui{1280, 800};
  RecordingActions actions;
  SessionSnapshot s;
  const test::ImGuiHarness::Draw drawIt = [this] { drawToasts(s, actions); };
};

TEST_F(ToastFrames, NothingToSayNothingShown) {
  draw();
  EXPECT_TRUE(ui.labels().empty());
}

TEST_F(ToastFrames, DismissClearsTheError) {
  s.error = {SessionErrorCode::NotConnected, "Not connected."};
  draw();
  EXPECT_FALSE(ui.has("OK"));
  ASSERT_TRUE(ui.click("Dismiss", drawIt));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"clearError"}));
  EXPECT_GT(ui.rectOf("Dismiss")->Min.y, kTopBarHeight) << "under the top bar";
}

TEST_F(ToastFrames, OkClearsTheNotice) {
  s.notice = {SessionErrorCode::MuteRequested, "Ada asked you to mute."};
  draw();
  EXPECT_FALSE(ui.has("Dismiss"));
  ASSERT_TRUE(ui.click("OK", drawIt));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"clearNotice"}));
}

TEST_F(ToastFrames, ANoticeShownWithAnErrorSitsBelowIt) {
  s.notice = {SessionErrorCode::MuteRequested, "Ada asked you to mute."};
  draw();
  const float alone = ui.rectOf("OK")->Min.y;
  s.error = {SessionErrorCode::NotConnected, "Not connected."};
  draw();
  EXPECT_GT(ui.rectOf("OK")->Min.y, ui.rectOf("Dismiss")->Max.y);
  EXPECT_GT(ui.rectOf("OK")->Min.y, alone);
  ASSERT_TRUE(ui.click("Dismiss", drawIt));
  ASSERT_TRUE(ui.click("OK", drawIt));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"clearError", "clearNotice"}));
}

}  // namespace
}  // namespace vroom::ui
