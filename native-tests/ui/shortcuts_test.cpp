// The room's keyboard shortcuts in headless ImGui frames: each key, typed as a character,
// records its RoomActions command or returns its view request; viewers and audio-only rooms
// ignore what they cannot do; modifiers and text fields silence every shortcut.
#include "shortcuts.hpp"

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "recording_actions.hpp"

namespace vroom::ui {
namespace {

SessionSnapshot room() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  return s;
}

struct KeyCase {
  const char* name;
  const char* typed;
  void (*edit)(SessionSnapshot&);
  std::vector<std::string> calls;
  std::vector<ViewRequest> requests;
};

// Failures name the case, not its bytes.
void PrintTo(const KeyCase& c, std::ostream* os) {
  *os << c.name;
}

class Shortcuts : public ::testing::TestWithParam<KeyCase> {};

TEST_P(Shortcuts, KeyToCommand) {
  const KeyCase& c = GetParam();
  test::ImGuiHarness ui;
  RecordingActions actions;
  SessionSnapshot s = room();
  c.edit(s);
  std::vector<ViewRequest> requests;
  ui.frame([&] { handleShortcuts(s, actions); });
  ImGui::GetIO().AddInputCharactersUTF8(c.typed);
  ui.frame([&] { requests = handleShortcuts(s, actions); });
  EXPECT_EQ(actions.calls, c.calls) << c.name;
  EXPECT_EQ(requests, c.requests) << c.name;
}

const auto kNoEdit = [](SessionSnapshot&) {};
const auto kViewer = [](SessionSnapshot& s) {
  s.mode = protocol::Mode::Broadcast;
  s.self.role = protocol::Role::Viewer;
};

INSTANTIATE_TEST_SUITE_P(
    Table, Shortcuts,
    ::testing::Values(KeyCase{"m mutes", "m", kNoEdit, {"mic:off"}, {}},
                      KeyCase{"M too", "M", kNoEdit, {"mic:off"}, {}},
                      KeyCase{"m unmutes when muted",
                              "m",
                              [](SessionSnapshot& s) { s.local.microphoneOn = false; },
                              {"mic:on"},
                              {}},
                      KeyCase{"v stops the camera", "v", kNoEdit, {"cam:off"}, {}},
                      KeyCase{"V starts it when off",
                              "V",
                              [](SessionSnapshot& s) { s.local.cameraOn = false; },
                              {"cam:on"},
                              {}},
                      KeyCase{"c chat", "c", kNoEdit, {}, {ViewRequest::ToggleChat}},
                      KeyCase{"p people", "P", kNoEdit, {}, {ViewRequest::TogglePeople}},
                      KeyCase{"s stats", "s", kNoEdit, {}, {ViewRequest::ToggleStats}},
                      KeyCase{
                          "g grid or speaker", "G", kNoEdit, {}, {ViewRequest::ToggleSpeakerView}},
                      KeyCase{"in the order typed",
                              "gcm",
                              kNoEdit,
                              {"mic:off"},
                              {ViewRequest::ToggleSpeakerView, ViewRequest::ToggleChat}},
                      KeyCase{"other letters do nothing", "xz1 ", kNoEdit, {}, {}},
                      KeyCase{"no camera in an audio-only room",
                              "v",
                              [](SessionSnapshot& s) { s.audioOnly = true; },
                              {},
                              {}},
                      KeyCase{"a viewer sends nothing but still opens panels",
                              "mvc",
                              kViewer,
                              {},
                              {ViewRequest::ToggleChat}}));

TEST(ShortcutKeys, EscapeAsksToGoBack) {
  test::ImGuiHarness ui;
  RecordingActions actions;
  const SessionSnapshot s = room();
  std::vector<ViewRequest> seen;
  ui.pressKey(ImGuiKey_Escape, [&] {
    for (ViewRequest r : handleShortcuts(s, actions)) seen.push_back(r);
  });
  EXPECT_EQ(seen, (std::vector<ViewRequest>{ViewRequest::Back}));
}

TEST(ShortcutKeys, AModifierLetsTheBrowserHaveTheKey) {
  test::ImGuiHarness ui;
  RecordingActions actions;
  const SessionSnapshot s = room();
  ImGuiIO& io = ImGui::GetIO();
  for (bool* key : {&io.KeyCtrl, &io.KeyAlt, &io.KeySuper}) {
    *key = true;
    io.AddInputCharactersUTF8("mc");
    std::vector<ViewRequest> requests;
    ui.frame([&] { requests = handleShortcuts(s, actions); });
    *key = false;
    EXPECT_TRUE(requests.empty());
  }
  EXPECT_TRUE(actions.calls.empty());
}

TEST(ShortcutKeys, TypingInATextFieldIsNotAShortcut) {
  test::ImGuiHarness ui;
  RecordingActions actions;
  const SessionSnapshot s = room();
  std::string text;
  std::vector<ViewRequest> requests;
  const auto draw = [&] {
    ImGui::Begin("form");
    static char buffer[64] = {};
    ImGui::InputText("Message", buffer, sizeof buffer);
    text = buffer;
    ImGui::End();
    for (ViewRequest r : handleShortcuts(s, actions)) requests.push_back(r);
  };
  ui.settle(draw);
  ASSERT_TRUE(ui.type("Message", "mc", draw));
  EXPECT_EQ(text, "mc");
  EXPECT_TRUE(actions.calls.empty());
  EXPECT_TRUE(requests.empty());
}

}  // namespace
}  // namespace vroom::ui
