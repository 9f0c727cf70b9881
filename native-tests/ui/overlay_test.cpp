// The overlay in headless ImGui frames with a fake video surface: what each tile's label says
// (name, muted, speaking, quality, connection, initials), the floating self-view, tiles that
// follow the session without an ImGui frame, which changes need a frame at all, and how the
// parts compose: the bars' buttons, the toast, shortcuts, Esc and tile clicks reaching the
// session or the view, and type-ahead into a chat that just opened. Each part has its own test.
#include "overlay.hpp"

#include <gtest/gtest.h>

#include "fake_video_surface.hpp"
#include "imgui_harness.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

// A person with camera and microphone on, in one stream.
MemberSnapshot member(const std::string& id, const std::string& name) {
  MemberSnapshot m = test::member(id, name);
  m.media = {true, true, false};
  m.cameraStreamId = id + "-cam";
  m.audioStreamId = id + "-cam";
  return m;
}

SessionSnapshot call() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.local.streamId = "local";
  s.members = {member("p1", "Ada"), member("p2", "李小龙")};
  return s;
}

class OverlayFrames : public ::testing::Test {
 protected:
  void draw() {
    ui.settle([&] { overlay.draw(s, actions, surface); });
  }
  void type(char c) {
    ImGui::GetIO().AddInputCharacter(c);
    ui.frame([&] { overlay.draw(s, actions, surface); });
  }
  const fakes::FakeVideoSurface::Labelled& label(const std::string& tile) {
    const auto it = surface.labels.find(tile);
    EXPECT_NE(it, surface.labels.end()) << "no label on " << tile;
    static const fakes::FakeVideoSurface::Labelled none;
    return it == surface.labels.end() ? none : it->second;
  }

  test::ImGuiHarness ui{1280, 800};
  Overlay overlay;
  fakes::FakeVideoSurface surface;
  RecordingActions actions;
  SessionSnapshot s = call();
};

TEST_F(OverlayFrames, EveryTileIsLabelledWithItsPersonAndState) {
  s.members[0].speaking = true;
  s.members[1].media.audio = false;
  s.members[1].connection = LinkState::Connecting;
  draw();
  ASSERT_EQ(surface.labels.size(), 3u);
  EXPECT_EQ(label("p1").label.name, "Ada");
  EXPECT_TRUE(label("p1").label.speaking);
  EXPECT_FALSE(label("p1").label.muted);
  EXPECT_EQ(label("p1").label.notice, "");
  EXPECT_EQ(label("p2").label.name, "李小龙");  // any script: the page draws the text
  EXPECT_TRUE(label("p2").label.muted);
  EXPECT_EQ(label("p2").label.notice, "Connecting...");
  EXPECT_EQ(label("self").label.name, "Bob (you)");
  // A label covers its tile's video exactly.
  EXPECT_EQ(label("p1").rect, surface.shown.at("p1-cam").rect);
}

TEST_F(OverlayFrames, ATileWithoutVideoShowsInitialsAndNoStream) {
  s.members[0].media.video = false;
  s.local.cameraOn = false;
  s.self.name = "Bob Marley";
  draw();
  EXPECT_EQ(label("p1").label.initials, "A");
  EXPECT_EQ(surface.shown.count("p1-cam"), 0u);
  EXPECT_EQ(label("p2").label.initials, "");
  // Of the person's name, not of the label's "(you)".
  EXPECT_EQ(label("self").label.name, "Bob Marley (you)");
  EXPECT_EQ(label("self").label.initials, "BM");
}

TEST_F(OverlayFrames, TheSelfViewFloatsSmallInTheCornerMirrored) {
  draw();
  const auto& self = surface.shown.at("local");
  EXPECT_TRUE(self.look.mirrored);
  EXPECT_TRUE(self.look.floating);
  EXPECT_LE(self.rect.width, kSelfViewMaxWidth);
  EXPECT_TRUE(label("self").label.floating);
  const auto& ada = surface.shown.at("p1-cam");
  EXPECT_FALSE(ada.look.mirrored);
  EXPECT_FALSE(ada.look.floating);
  // Bottom-right of the tile area: right of and below every remote tile's top-left corner.
  EXPECT_GT(self.rect.x, ada.rect.x);
  EXPECT_GT(self.rect.x + self.rect.width, 1280 - 40);
  // Alone in the room, we fill the grid instead.
  s.members.clear();
  draw();
  EXPECT_FALSE(surface.shown.at("local").look.floating);
  EXPECT_GT(surface.shown.at("local").rect.width, kSelfViewMaxWidth);
}

TEST_F(OverlayFrames, ClickingTheSelfViewPinsItIntoTheStage) {
  draw();
  const Rect r = surface.shown.at("local").rect;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(r.x + r.width / 2, r.y + r.height / 2);
  draw();
  io.MouseDown[0] = true;
  ui.frame([&] { overlay.draw(s, actions, surface); });
  io.MouseDown[0] = false;
  draw();
  EXPECT_EQ(overlay.pinned(), "self");
  EXPECT_TRUE(label("self").label.pinned);
  EXPECT_FALSE(surface.shown.at("local").look.floating) << "a pinned self-view takes the stage";
}

TEST_F(OverlayFrames, TilesFollowTheSessionWithoutAnImGuiFrame) {
  draw();
  EXPECT_FALSE(label("p2").label.speaking);
  SessionSnapshot next = s;
  next.members[1].speaking = true;
  next.revision = s.revision + 1;
  overlay.arrange(next, surface);
  EXPECT_TRUE(label("p2").label.speaking);
  next.members.pop_back();
  overlay.arrange(next, surface);
  EXPECT_EQ(surface.labels.count("p2"), 0u);
  EXPECT_EQ(surface.shown.count("p2-cam"), 0u);
}

struct DifferenceCase {
  const char* name;
  void (*edit)(SessionSnapshot&);
  bool drawsWithPanelClosed;
  bool drawsWithPeopleOpen;
};

class OverlayDifference : public ::testing::TestWithParam<DifferenceCase> {};

TEST_P(OverlayDifference, OnlyWhatImGuiShowsNeedsAFrame) {
  const DifferenceCase& c = GetParam();
  Overlay overlay;
  const SessionSnapshot before = call();
  SessionSnapshot after = before;
  c.edit(after);
  EXPECT_EQ(overlay.drawsDifference(before, after), c.drawsWithPanelClosed) << c.name;
  overlay.setPanel(Panel::People);
  EXPECT_EQ(overlay.drawsDifference(before, after), c.drawsWithPeopleOpen) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, OverlayDifference,
    ::testing::Values(
        DifferenceCase{"nothing", [](SessionSnapshot&) {}, false, false},
        DifferenceCase{"a new revision only", [](SessionSnapshot& s) { s.revision += 3; }, false,
                       false},
        DifferenceCase{"someone speaks", [](SessionSnapshot& s) { s.members[0].speaking = true; },
                       false, true},
        DifferenceCase{"a peer connects late",
                       [](SessionSnapshot& s) { s.members[0].connection = LinkState::Connecting; },
                       false, true},
        DifferenceCase{"a peer mutes", [](SessionSnapshot& s) { s.members[0].media.audio = false; },
                       false, true},
        DifferenceCase{"we mute (toolbar)", [](SessionSnapshot& s) { s.local.microphoneOn = false; }, true,
                       true},
        DifferenceCase{"someone joins (top bar count)",
                       [](SessionSnapshot& s) { s.members.push_back(member("p3", "Cy")); }, true,
                       true},
        DifferenceCase{"a chat message (unread count)",
                       [](SessionSnapshot& s) {
                         s.chat.push_back({"p1", "Ada", "hi", 1, false});
                       },
                       true, true},
        DifferenceCase{"an error (toast)",
                       [](SessionSnapshot& s) {
                         s.error = {SessionErrorCode::NotConnected, "Not connected."};
                       },
                       true, true},
        DifferenceCase{"a moderator's mute request (notice)",
                       [](SessionSnapshot& s) {
                         s.notice = {SessionErrorCode::MuteRequested, "Ada asked you to mute."};
                       },
                       true, true},
        DifferenceCase{"the room locks (top bar)", [](SessionSnapshot& s) { s.locked = true; },
                       true, true},
        DifferenceCase{"we become moderator (people panel controls)",
                       [](SessionSnapshot& s) { s.self.moderator = true; }, true, true},
        DifferenceCase{"moderation passes to a peer",
                       [](SessionSnapshot& s) { s.members[0].moderator = true; }, false, true},
        DifferenceCase{"leaving the room (lobby)",
                       [](SessionSnapshot& s) { s.state = SessionState::Left; }, true, true}));

TEST_F(OverlayFrames, ShortcutsStillReachTheOverlay) {
  draw();
  type('m');
  type('p');
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"mic:off"}));
  EXPECT_EQ(overlay.panel(), Panel::People);
  ui.pressKey(ImGuiKey_Escape, [&] { overlay.draw(s, actions, surface); });
  EXPECT_EQ(overlay.panel(), Panel::None);
}

TEST_F(OverlayFrames, TheBarsReachTheSessionAndTheView) {
  const auto frame = [&] { overlay.draw(s, actions, surface); };
  draw();
  ASSERT_TRUE(ui.click("Mute", frame));
  ASSERT_TRUE(ui.click("Chat", frame));
  EXPECT_EQ(overlay.panel(), Panel::Chat);
  ASSERT_TRUE(ui.click("Speaker view", frame));
  EXPECT_TRUE(overlay.speakerView());
  ASSERT_TRUE(ui.click("Leave", frame));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"mic:off", "leave"}));
}

TEST_F(OverlayFrames, TheErrorToastIsDismissedThroughTheSession) {
  s.error = {SessionErrorCode::NotConnected, "Not connected."};
  draw();
  ASSERT_TRUE(ui.click("Dismiss", [&] { overlay.draw(s, actions, surface); }));
  EXPECT_EQ(actions.calls, (std::vector<std::string>{"clearError"}));
}

TEST_F(OverlayFrames, EscUnpinsBeforeItClosesThePanel) {
  draw();
  type('p');
  draw();  // the tiles make room for the panel
  const Rect r = surface.shown.at("p1-cam").rect;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(r.x + r.width / 2, r.y + r.height / 2);
  draw();
  io.MouseDown[0] = true;
  ui.frame([&] { overlay.draw(s, actions, surface); });
  io.MouseDown[0] = false;
  draw();
  ASSERT_EQ(overlay.pinned(), "p1");
  ui.pressKey(ImGuiKey_Escape, [&] { overlay.draw(s, actions, surface); });
  EXPECT_EQ(overlay.pinned(), "");
  EXPECT_EQ(overlay.panel(), Panel::People);
  ui.pressKey(ImGuiKey_Escape, [&] { overlay.draw(s, actions, surface); });
  EXPECT_EQ(overlay.panel(), Panel::None);
}

TEST_F(OverlayFrames, KeysTypedRightAfterOpeningTheChatAreTextNotShortcuts) {
  draw();
  type('c');
  ASSERT_EQ(overlay.panel(), Panel::Chat);
  type('m');
  EXPECT_TRUE(actions.calls.empty()) << "m went to the draft, not the microphone";
  EXPECT_EQ(overlay.chat().draft, "m");
}

TEST_F(OverlayFrames, TheLobbyKeepsThePreviewsPlaceSoNothingMovesWhenThePictureArrives) {
  auto lobbyTop = [] { return ImGui::FindWindowByName("###lobby")->Pos.y; };
  s = {};
  s.local.acquiring = true;  // the camera is being asked for
  draw();
  const float waiting = lobbyTop();
  EXPECT_TRUE(surface.shown.empty());
  // A 4:3 camera's picture arrives, then its size: the lobby stays where it was.
  s.local.acquiring = false;
  s.local.hasCamera = s.local.hasMicrophone = true;
  s.local.streamId = "local";
  draw();
  EXPECT_EQ(lobbyTop(), waiting);
  ASSERT_TRUE(surface.shown.count("local"));
  const Rect wide = surface.shown.at("local").rect;
  overlay.setVideoSize("local", 640, 480);
  draw();
  EXPECT_EQ(lobbyTop(), waiting);
  const Rect picture = surface.shown.at("local").rect;
  EXPECT_EQ(picture.height, wide.height);
  EXPECT_NEAR(picture.width, picture.height * 4 / 3, 1.0f);
  EXPECT_LT(picture.y + picture.height, waiting);
  // No camera after all (refused, or none): the lobby takes the space back.
  s.local = {};
  draw();
  EXPECT_LT(lobbyTop(), waiting);
  EXPECT_TRUE(surface.shown.empty());
}

TEST_F(OverlayFrames, TheLobbyDoesNotMoveWhenTheDevicePickersAppearOnAShortWindow) {
  // Firefox lists devices blank until the camera is allowed, then names them: the microphone
  // and camera pickers appear with the picture. On a short window the preview's height is
  // what the lobby leaves, so it must leave room for them from the start.
  ui.resize(1366, 460);
  auto lobbyTop = [] { return ImGui::FindWindowByName("###lobby")->Pos.y; };
  s = {};
  s.local.acquiring = true;
  s.local.devices = {{"", DeviceKind::AudioInput, ""}, {"", DeviceKind::VideoInput, ""}};
  draw();
  const float waiting = lobbyTop();
  s.local.acquiring = false;
  s.local.hasCamera = s.local.hasMicrophone = true;
  s.local.streamId = "local";
  s.local.devices = {{"mic1", DeviceKind::AudioInput, "Built-in microphone"},
                     {"cam1", DeviceKind::VideoInput, "Built-in camera"}};
  draw();
  ASSERT_TRUE(surface.shown.count("local"));
  EXPECT_EQ(lobbyTop(), waiting);
  const ImGuiWindow* lobby = ImGui::FindWindowByName("###lobby");
  EXPECT_LE(lobby->Pos.y + lobby->Size.y, 460.0f) << "the lobby still fits the window";
}

TEST_F(OverlayFrames, HiddenTilesAreCountedInACaption) {
  ui.resize(360, 740);  // a phone in speaker view: the strip has room for a few only
  for (int i = 3; i < 12; ++i) s.members.push_back(member("p" + std::to_string(i), "P"));
  type('g');
  draw();
  ASSERT_TRUE(overlay.speakerView());
  EXPECT_EQ(surface.captionText, "+" + std::to_string(overlay.layout().hiddenCount) + " more");
  EXPECT_GT(overlay.layout().hiddenCount, 0);
  type('g');
  draw();
  EXPECT_EQ(surface.captionText, "") << "the grid shows everyone";
}

}  // namespace
}  // namespace vroom::ui
