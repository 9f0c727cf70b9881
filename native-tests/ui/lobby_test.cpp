// The lobby in headless ImGui frames: validation rules, the Join button's enabled state, and
// that submitting a valid form (button or Enter) yields the Join action.
#include "lobby.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"

namespace vroom::ui {
namespace {

struct ValidationCase {
  const char* room;
  const char* name;
  const char* problemContains;  // "" = valid
};

class LobbyValidation : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(LobbyValidation, Rules) {
  const auto& c = GetParam();
  LobbyForm form;
  form.room = c.room;
  form.name = c.name;
  const std::string problem = validateLobby(form);
  if (std::string(c.problemContains).empty()) {
    EXPECT_EQ(problem, "") << c.room << " / " << c.name;
  } else {
    EXPECT_NE(problem.find(c.problemContains), std::string::npos) << "problem was: " << problem;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, LobbyValidation,
    ::testing::Values(
        ValidationCase{"team-standup", "Ada", ""}, ValidationCase{"  team  ", "Ada", ""},
        ValidationCase{"a.b_c-9", "Zoë Ünal", ""}, ValidationCase{"", "Ada", "room name"},
        ValidationCase{"   ", "Ada", "room name"},
        ValidationCase{"bad room", "Ada", "letters, digits"},
        ValidationCase{"room/../x", "Ada", "letters, digits"},
        ValidationCase{"émoji", "Ada", "letters, digits"}, ValidationCase{"team", "", "your name"},
        ValidationCase{"team", "   ", "your name"},
        ValidationCase{"team", "a\tb", "control character"},
        ValidationCase{"team", "0123456789012345678901234567890123456789x", "too long"}));

TEST(LobbyValidation, RoomIdLengthLimit) {
  LobbyForm form;
  form.name = "Ada";
  form.room = std::string(64, 'r');
  EXPECT_EQ(validateLobby(form), "");
  form.room = std::string(65, 'r');
  EXPECT_NE(validateLobby(form), "");
}

class LobbyFrames : public ::testing::Test {
 protected:
  test::ImGuiHarness ui;
  LobbyForm form;
  LobbyView view;
  int joins = 0;
  test::ImGuiHarness::Draw draw = [this] {
    if (drawLobby(form, view) == LobbyAction::Join) ++joins;
  };
};

TEST_F(LobbyFrames, JoinIsDisabledUntilTheFormIsValid) {
  ui.settle(draw);
  ASSERT_TRUE(ui.has("Join"));
  EXPECT_TRUE(ui.isDisabled("Join"));
  ui.click("Join", draw);
  EXPECT_EQ(joins, 0);
}

TEST_F(LobbyFrames, TypingRoomAndNameThenClickingJoinJoins) {
  ui.settle(draw);
  ASSERT_TRUE(ui.type("room", "standup", draw))
      << "labels drawn: " << ::testing::PrintToString(ui.labels());
  ASSERT_TRUE(ui.type("name", "Ada", draw));
  EXPECT_EQ(form.room, "standup");
  EXPECT_EQ(form.name, "Ada");
  EXPECT_FALSE(ui.isDisabled("Join"));
  ASSERT_TRUE(ui.click("Join", draw));
  EXPECT_EQ(joins, 1);
}

TEST_F(LobbyFrames, EnterInTheNameFieldSubmits) {
  form.room = "standup";
  ui.settle(draw);
  ASSERT_TRUE(ui.type("name", "Ada", draw));
  ui.pressKey(ImGuiKey_Enter, draw);
  EXPECT_EQ(joins, 1);
}

TEST_F(LobbyFrames, BroadcastShowsRolesAndGoLive) {
  form.room = "show";
  form.name = "Host";
  ui.settle(draw);
  EXPECT_FALSE(ui.has("Host (go live)"));
  ASSERT_TRUE(ui.click("Broadcast", draw));
  ui.settle(draw);
  EXPECT_EQ(form.mode, LobbyMode::Broadcast);
  EXPECT_TRUE(ui.has("Host (go live)"));
  EXPECT_TRUE(ui.has("Go live"));
  ASSERT_TRUE(ui.click("Viewer (watch)", draw));
  ui.settle(draw);
  EXPECT_EQ(form.role, LobbyRole::Viewer);
  EXPECT_TRUE(ui.has("Join"));
}

TEST_F(LobbyFrames, BusyLobbyNeitherEditsNorJoins) {
  form.room = "standup";
  form.name = "Ada";
  view.busy = true;
  ui.settle(draw);
  ASSERT_TRUE(ui.has("Joining..."));
  ui.click("Joining...", draw);
  EXPECT_EQ(joins, 0);
}

TEST_F(LobbyFrames, AWaitingViewerCanStopWaiting) {
  form.room = "launch";
  form.name = "Vi";
  form.mode = LobbyMode::Broadcast;
  form.role = LobbyRole::Viewer;
  view.busy = view.waiting = true;
  view.statusMessage = "No broadcast named launch is live yet. Waiting for the host to go live...";
  int stops = 0;
  const test::ImGuiHarness::Draw waitingDraw = [&] {
    const LobbyAction action = drawLobby(form, view);
    if (action == LobbyAction::Join) ++joins;
    if (action == LobbyAction::StopWaiting) ++stops;
  };
  ui.settle(waitingDraw);
  EXPECT_FALSE(ui.has("Joining..."));
  ASSERT_TRUE(ui.has("Stop waiting"));
  EXPECT_FALSE(ui.isDisabled("Stop waiting"));
  ASSERT_TRUE(ui.click("Stop waiting", waitingDraw));
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(joins, 0);
}

TEST_F(LobbyFrames, SpeakersAreOfferedToEveryoneWhereTheBrowserListsThem) {
  form.mode = LobbyMode::Broadcast;
  form.role = LobbyRole::Viewer;  // sends nothing, hears the host
  ui.settle(draw);
  const std::string lobby = "Join a room###lobby";
  EXPECT_FALSE(ui.hasItemIn(lobby, "Speaker")) << "no speakers listed, no picker";
  view.devices = {{"spk-1", DeviceKind::AudioOutput, "Headphones"},
                  {"spk-2", DeviceKind::AudioOutput, "Monitor speakers"}};
  ui.settle(draw);
  EXPECT_TRUE(ui.hasItemIn(lobby, "Speaker"));
  EXPECT_FALSE(ui.hasItemIn(lobby, "Microphone")) << "a viewer sends no sound";
  form.role = LobbyRole::Host;
  view.devices.push_back({"mic-1", DeviceKind::AudioInput, "Headset microphone"});
  ui.settle(draw);
  EXPECT_TRUE(ui.hasItemIn(lobby, "Speaker"));
  EXPECT_TRUE(ui.hasItemIn(lobby, "Microphone"));
}

TEST_F(LobbyFrames, FitsAPhoneWidthWindow) {
  ui.resize(360, 740);
  form.room = "standup";
  form.name = "Ada";
  ui.settle(draw);
  const auto join = ui.rectOf("Join");
  ASSERT_TRUE(join.has_value());
  EXPECT_GE(join->Min.x, 0.0f);
  EXPECT_LE(join->Max.x, 360.0f);
  ASSERT_TRUE(ui.click("Join", draw));
  EXPECT_EQ(joins, 1);
}

}  // namespace
}  // namespace vroom::ui
