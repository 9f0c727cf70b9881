// The top bar: what it says for each kind of room and state (table over topBarItems), and in a
// headless ImGui frame its "Stop sharing" button, clicked by label, stops the screen share.
#include "top_bar.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

using Tone = TopBarTone;

SessionSnapshot conference() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.members = {test::member("p1", "Ada")};
  return s;
}

struct ItemsCase {
  const char* name;
  void (*edit)(SessionSnapshot&);
  std::vector<TopBarItem> items;
};

// Failures name the case, not its bytes.
void PrintTo(const ItemsCase& c, std::ostream* os) {
  *os << c.name;
}

class TopBarWords : public ::testing::TestWithParam<ItemsCase> {};

TEST_P(TopBarWords, WhatTheBarSays) {
  const ItemsCase& c = GetParam();
  SessionSnapshot s = conference();
  c.edit(s);
  EXPECT_EQ(topBarItems(s), c.items) << c.name;
}

void host(SessionSnapshot& s) {
  s.mode = protocol::Mode::Broadcast;
  s.self.role = protocol::Role::Host;
}

INSTANTIATE_TEST_SUITE_P(
    Table, TopBarWords,
    ::testing::Values(
        ItemsCase{"two people", [](SessionSnapshot&) {}, {{"standup  |  2 people"}}},
        ItemsCase{
            "alone", [](SessionSnapshot& s) { s.members.clear(); }, {{"standup  |  1 person"}}},
        ItemsCase{"a live host counts viewers only",
                  [](SessionSnapshot& s) {
                    host(s);
                    s.members.push_back(test::member("v1", "Vi", protocol::Role::Viewer));
                  },
                  {{"LIVE", Tone::Live}, {"standup  |  1 viewer"}}},
        ItemsCase{
            "a live host with no viewers", host, {{"LIVE", Tone::Live}, {"standup  |  0 viewers"}}},
        ItemsCase{"a viewer",
                  [](SessionSnapshot& s) {
                    s.mode = protocol::Mode::Broadcast;
                    s.self.role = protocol::Role::Viewer;
                  },
                  {{"standup  |  watching"}}},
        ItemsCase{"audio only, locked, sharing",
                  [](SessionSnapshot& s) {
                    s.audioOnly = true;
                    s.locked = true;
                    s.local.sharing = true;
                  },
                  {{"standup  |  2 people"},
                   {"(audio only)", Tone::Quiet},
                   {"Locked: nobody new can join", Tone::Warning},
                   {"You are sharing your screen", Tone::Positive, true}}},
        ItemsCase{"reconnecting to the server",
                  [](SessionSnapshot& s) { s.state = SessionState::Reconnecting; },
                  {{"standup  |  2 people"}, {"Reconnecting to the server...", Tone::Warning}}},
        ItemsCase{"an ICE restart",
                  [](SessionSnapshot& s) { s.recovery = Recovery::IceRestart; },
                  {{"standup  |  2 people"}, {"Restoring a connection...", Tone::Warning}}},
        ItemsCase{"rejoining",
                  [](SessionSnapshot& s) { s.recovery = Recovery::SignalingReconnect; },
                  {{"standup  |  2 people"}, {"Rejoining...", Tone::Warning}}}));

TEST(TopBarFrames, StopSharingStopsTheScreenShare) {
  test::ImGuiHarness ui;
  RecordingActions actions;
  SessionSnapshot s = conference();
  const auto draw = [&] { drawTopBar(s, actions); };
  ui.settle(draw);
  EXPECT_FALSE(ui.has("Stop sharing")) << "nothing shared, nothing to stop";
  s.local.sharing = true;
  ui.settle(draw);
  ASSERT_TRUE(ui.click("Stop sharing", draw));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"share:stop"}));
  // The bar stays within the height the layout leaves it.
  EXPECT_LE(ui.rectOf("Stop sharing")->Max.y, kTopBarHeight);
}

}  // namespace
}  // namespace vroom::ui
