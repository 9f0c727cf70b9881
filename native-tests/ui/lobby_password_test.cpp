// The lobby's password field in headless frames: hidden until the server asks for one or the
// person opens "Set a password", never for a viewer, masked, and submitted with Enter.
#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "lobby.hpp"

namespace vroom::ui {
namespace {

class LobbyPassword : public ::testing::Test {
 protected:
  test::ImGuiHarness ui;
  LobbyForm form = [] {
    LobbyForm f;
    f.room = "standup";
    f.name = "Ada";
    return f;
  }();
  LobbyView view;
  int joins = 0;
  test::ImGuiHarness::Draw draw = [this] {
    if (drawLobby(form, view) == LobbyAction::Join) ++joins;
  };
};

TEST_F(LobbyPassword, HiddenUntilThePersonSetsOne) {
  ui.settle(draw);
  EXPECT_FALSE(ui.has("password"));
  ASSERT_TRUE(ui.has("Set a password"));
  ASSERT_TRUE(ui.click("Set a password", draw));
  ui.settle(draw);
  ASSERT_TRUE(ui.type("password", "s3cret", draw)) << ::testing::PrintToString(ui.labels());
  EXPECT_EQ(form.password, "s3cret");
  ASSERT_TRUE(ui.click("Join", draw));
  EXPECT_EQ(joins, 1);
  // Closing the option forgets what was typed: no password is sent by mistake.
  ASSERT_TRUE(ui.click("Set a password", draw));
  ui.settle(draw);
  EXPECT_FALSE(ui.has("password"));
  EXPECT_EQ(form.password, "");
}

TEST_F(LobbyPassword, AskedByTheServerTheFieldHasTheKeyboard) {
  view.passwordAsked = true;
  view.focusPassword = true;
  view.errorMessage =
      "The room 'standup' has a password. Type it in the Room password field and join again.";
  ui.frame(draw);
  view.focusPassword = false;  // the overlay asks for focus once
  ui.settle(draw);
  EXPECT_TRUE(ui.has("password"));
  EXPECT_FALSE(ui.has("Set a password"));  // it is not optional now
  for (char c : std::string("open sesame")) {
    ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
    ui.frame(draw);
  }
  EXPECT_EQ(form.password, "open sesame");
  ui.pressKey(ImGuiKey_Enter, draw);
  EXPECT_EQ(joins, 1);
}

TEST_F(LobbyPassword, ABroadcastHostReservesTheIdAViewerNeedsNone) {
  form.mode = LobbyMode::Broadcast;
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Reserve this id with a host password"));
  form.role = LobbyRole::Viewer;
  view.passwordAsked = true;  // even if asked: watching needs no password
  ui.settle(draw);
  EXPECT_FALSE(ui.has("password"));
  EXPECT_FALSE(ui.has("Reserve this id with a host password"));
}

}  // namespace
}  // namespace vroom::ui
