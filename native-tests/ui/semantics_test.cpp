// The semantics tree (ui/semantics.*) from real headless ImGui frames of the overlay: roles,
// names, states and bounds of the lobby and the room, groups for the chat log and the people
// list, diffs that carry only what changed, and focus and activation from the mirror reaching
// the same RoomActions a click does.
#include "semantics.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_video_surface.hpp"
#include "imgui_harness.hpp"
#include "overlay.hpp"
#include "recording_actions.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

using semantics::Node;
using semantics::Role;

SessionSnapshot room() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.local.microphoneOn = s.local.cameraOn = true;
  s.members = {test::member("p1", "Ada"), test::member("p2", "Cy")};
  return s;
}

class SemanticsFrames : public ::testing::Test {
 protected:
  SemanticsFrames() { addItemObserver(&recorder); }
  ~SemanticsFrames() override { removeItemObserver(&recorder); }

  // One frame recorded as the browser build records it.
  void frame() {
    ui.frame([&] {
      recorder.beginFrame();
      semantics::setActive(&recorder);
      overlay.draw(s, actions, surface);
      semantics::setActive(nullptr);
    });
    recorder.endFrame();
  }
  void settle(int frames = 3) {
    for (int i = 0; i < frames; ++i) frame();
  }
  const Node* named(Role role, const std::string& name) const {
    for (const Node& n : recorder.nodes())
      if (n.role == role && n.name == name) return &n;
    return nullptr;
  }

  test::ImGuiHarness ui{1280, 800};
  semantics::Recorder recorder;
  Overlay overlay;
  fakes::FakeVideoSurface surface;
  RecordingActions actions;
  SessionSnapshot s;
};

TEST_F(SemanticsFrames, TheLobbyListsEveryControlWithRoleNameAndState) {
  settle();
  const Node* roomField = named(Role::TextField, "Room");
  ASSERT_NE(roomField, nullptr);
  EXPECT_GT(roomField->w, 100);
  EXPECT_GT(roomField->h, 10);
  ASSERT_NE(named(Role::TextField, "Your name"), nullptr);
  const Node* conference = named(Role::Radio, "Conference");
  ASSERT_NE(conference, nullptr);
  EXPECT_TRUE(conference->state & semantics::kChecked);
  const Node* broadcast = named(Role::Radio, "Broadcast");
  ASSERT_NE(broadcast, nullptr);
  EXPECT_FALSE(broadcast->state & semantics::kChecked);
  const Node* audioOnly = named(Role::Checkbox, "Audio only");
  ASSERT_NE(audioOnly, nullptr);
  EXPECT_FALSE(audioOnly->state & semantics::kChecked);
  const Node* join = named(Role::Button, "Join");
  ASSERT_NE(join, nullptr);
  EXPECT_TRUE(join->state & semantics::kDisabled) << "nothing typed yet";
  // Keyboard order is drawing order: the room field comes before the Join button.
  EXPECT_LT(roomField - recorder.nodes().data(), join - recorder.nodes().data());
}

TEST_F(SemanticsFrames, ARefusedFieldIsInvalidAndSaysWhy) {
  overlay.lobbyForm().room = "no spaces!";
  settle();
  const Node* roomField = named(Role::TextField, "Room");
  ASSERT_NE(roomField, nullptr);
  EXPECT_TRUE(roomField->state & semantics::kInvalid);
  EXPECT_EQ(roomField->description, makeError(SessionErrorCode::InvalidRoomId).message);
  EXPECT_EQ(roomField->value, "no spaces!");
}

TEST_F(SemanticsFrames, DiffsCarryOnlyWhatChanged) {
  overlay.lobbyForm().room = "standup";
  overlay.lobbyForm().name = "Ada";
  settle();
  const std::vector<Node> first = recorder.nodes();
  const nlohmann::json all = nlohmann::json::parse(semantics::diff({}, first));
  EXPECT_EQ(all["set"].size(), first.size());
  EXPECT_TRUE(all.contains("order"));
  frame();
  EXPECT_EQ(semantics::diff(first, recorder.nodes()), "") << "an unchanged frame sends nothing";

  overlay.lobbyForm().name = "Adam";  // a new value, nothing moves
  settle();
  const nlohmann::json changed = nlohmann::json::parse(semantics::diff(first, recorder.nodes()));
  std::set<std::string> names;
  for (const auto& n : changed["set"]) names.insert(n["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"Your name"}));
  EXPECT_EQ(changed["set"][0]["value"], "Adam");
  EXPECT_TRUE(changed["remove"].empty());
  EXPECT_FALSE(changed.contains("order"));
}

TEST_F(SemanticsFrames, ActivationFromTheMirrorRunsTheSameActionAsAClick) {
  s = room();
  settle();
  const Node* mute = named(Role::Button, "Mute");
  ASSERT_NE(mute, nullptr);
  EXPECT_EQ(mute->description, "Shortcut: M");
  semantics::activateItem(*mute);
  settle(2);
  EXPECT_EQ(actions.calls, std::vector<std::string>{"mic:off"});

  const Node* chat = named(Role::Toggle, "Chat");
  ASSERT_NE(chat, nullptr);
  EXPECT_FALSE(chat->state & semantics::kPressed);
  semantics::activateItem(*chat);
  settle();
  EXPECT_EQ(overlay.panel(), Panel::Chat);
  ASSERT_NE(named(Role::Toggle, "Chat"), nullptr);
  EXPECT_TRUE(named(Role::Toggle, "Chat")->state & semantics::kPressed);
}

TEST_F(SemanticsFrames, FocusFromTheMirrorMovesImGuisFocus) {
  s = room();
  settle();
  const Node* leave = named(Role::Button, "Leave");
  ASSERT_NE(leave, nullptr);
  const std::uint32_t id = leave->id;
  semantics::focusItem(*leave);
  settle(2);
  EXPECT_EQ(semantics::focusedItem(recorder), id);
  EXPECT_FALSE(GImGui->NavDisableHighlight) << "the focus ring shows";
  ui.pressKey(ImGuiKey_Space, [&] { overlay.draw(s, actions, surface); });
  // (the harness frame above is not recorded; the key reaches the focused item all the same)
  EXPECT_EQ(actions.calls, std::vector<std::string>{"leave"});
}

TEST_F(SemanticsFrames, TheChatLogAndThePeopleListAreGroupsOfTheirEntries) {
  s = room();
  s.chat = {{"p1", "Ada", "hello", 0, false}, {"me", "Bob", "hi Ada", 0, true}};
  overlay.setPanel(Panel::Chat);
  settle();
  const Node* log = named(Role::Log, "Chat messages");
  ASSERT_NE(log, nullptr);
  int entries = 0;
  for (const Node& n : recorder.nodes())
    if (n.parent == log->id && n.role == Role::Text) ++entries;
  EXPECT_EQ(entries, 2);
  const Node* message = named(Role::TextField, "Message");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->parent, 0u);

  overlay.setPanel(Panel::People);
  settle();
  const Node* list = named(Role::List, "People");
  ASSERT_NE(list, nullptr);
  std::vector<std::string> rows;
  for (const Node& n : recorder.nodes())
    if (n.parent == list->id && n.role == Role::ListItem) rows.push_back(n.name);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].rfind("Bob", 0), 0u) << rows[0];
  EXPECT_EQ(named(Role::Log, "Chat messages"), nullptr) << "the closed chat left the tree";
}

TEST_F(SemanticsFrames, QuestionMarkShowsTheKeyboardHelpAndEscapeClosesIt) {
  s = room();
  settle();
  ImGui::GetIO().AddInputCharacter('?');
  settle();
  EXPECT_TRUE(overlay.helpOpen());
  EXPECT_NE(named(Role::Text, "M: Mute or unmute the microphone"), nullptr);
  ASSERT_NE(named(Role::Button, "Close"), nullptr);
  ui.pressKey(ImGuiKey_Escape, [&] { overlay.draw(s, actions, surface); });
  EXPECT_FALSE(overlay.helpOpen());
}

TEST_F(SemanticsFrames, TextNeverLandsInTheFieldFocusLeft) {
  settle();
  const Node room = *named(Role::TextField, "Room");
  const Node name = *named(Role::TextField, "Your name");
  semantics::activateItem(room);
  settle(2);
  ImGui::GetIO().AddInputCharactersUTF8("standup");
  settle(2);
  // The page's focus moves on and a character arrives before ImGui drew the next frame: it
  // does not land in the field left (ImGui drops text on a field's first frame, which is why
  // the bridge holds text back until the field is editing: ImGuiWebPlatform::holdText).
  semantics::activateItem(name);
  ImGui::GetIO().AddInputCharactersUTF8("x");
  settle(2);
  ImGui::GetIO().AddInputCharactersUTF8("Ada");
  settle(2);
  EXPECT_EQ(overlay.lobbyForm().room, "standup");
  EXPECT_EQ(overlay.lobbyForm().name, "Ada");
  // The field stops editing while the page's focus stays on it (as after Enter): typing there
  // again goes on after its text, not over it.
  ImGui::ClearActiveID();
  settle(2);
  semantics::activateItem(name, true);
  settle(2);
  ImGui::GetIO().AddInputCharactersUTF8(" L");
  settle(2);
  EXPECT_EQ(overlay.lobbyForm().name, "Ada L");
}

TEST_F(SemanticsFrames, TheWordsPeopleReadAreMirroredToo) {
  settle();
  EXPECT_NE(named(Role::Text,
                  "Type a room and your name. Everyone in the same room sees and "
                  "hears each other."),
            nullptr);

  s = room();
  s.mode = protocol::Mode::Broadcast;
  s.self.role = protocol::Role::Host;
  s.locked = true;
  s.error = makeError(SessionErrorCode::ChatTooLong);
  settle();
  EXPECT_NE(named(Role::Text, "LIVE"), nullptr);
  EXPECT_NE(named(Role::Text, "standup, 0 viewers"), nullptr);
  EXPECT_NE(named(Role::Text, "Locked: nobody new can join"), nullptr);
  EXPECT_NE(named(Role::Status, s.error.message), nullptr) << "the toast's text";

  s = room();
  overlay.setPanel(Panel::Chat);
  overlay.chat().draft = "hello";
  settle();
  EXPECT_NE(named(Role::Text, "standup, 3 people"), nullptr);
  const Node* counter = nullptr;
  for (const Node& n : recorder.nodes())
    if (n.role == Role::Text && n.name.rfind("5 of ", 0) == 0) counter = &n;
  ASSERT_NE(counter, nullptr) << "the chat's character counter";
  EXPECT_NE(counter->name.find("characters used"), std::string::npos);

  overlay.setPanel(Panel::Stats);
  overlay.stats().add("p1", 1000.0, PeerStats{});
  settle();
  const Node* figures = named(Role::List, "Figures for Ada");
  ASSERT_NE(figures, nullptr);
  std::vector<std::string> items;
  for (const Node& n : recorder.nodes())
    if (n.parent == figures->id && n.role == Role::ListItem) items.push_back(n.name);
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items.back().rfind("Path: ", 0), 0u) << items.back();
}

TEST_F(SemanticsFrames, TilesArePinToggles) {
  s = room();
  settle();
  const Node* ada = named(Role::Tile, "Video of Ada");
  ASSERT_NE(ada, nullptr);
  EXPECT_FALSE(ada->state & semantics::kPressed);
  EXPECT_GT(ada->w, 100);
  EXPECT_TRUE(overlay.pressTile(ada->id)) << "pressing it in the mirror pins it";
  settle();
  EXPECT_EQ(overlay.pinned(), "p1");
  EXPECT_TRUE(overlay.speakerView());
  ASSERT_NE(named(Role::Tile, "Video of Ada"), nullptr);
  EXPECT_TRUE(named(Role::Tile, "Video of Ada")->state & semantics::kPressed);
  EXPECT_TRUE(overlay.pressTile(named(Role::Tile, "Video of Ada")->id)) << "and again unpins";
  settle();
  EXPECT_EQ(overlay.pinned(), "");
  EXPECT_FALSE(overlay.pressTile(12345));
}

TEST_F(SemanticsFrames, APanelsCloseButtonClosesItAndFocusGoesBackToItsButton) {
  s = room();
  overlay.setPanel(Panel::People);
  settle();
  const Node* close = named(Role::Button, "Close people");
  ASSERT_NE(close, nullptr);
  EXPECT_GT(close->w, 0);
  semantics::activateItem(*close);
  settle();
  EXPECT_EQ(overlay.panel(), Panel::None);
  const Node* people = named(Role::Toggle, "People");
  ASSERT_NE(people, nullptr);
  EXPECT_EQ(semantics::focusedItem(recorder), people->id) << "not lost with the panel";
}

TEST_F(SemanticsFrames, TheHelpShowsOverAnOpenPanel) {
  s = room();
  overlay.setPanel(Panel::People);
  settle();
  ImGui::GetIO().AddInputCharacter('?');
  settle();
  ASSERT_TRUE(overlay.helpOpen());
  // Then the keyboard (or a click) goes into the panel, which raises it.
  const Node* close = named(Role::Button, "Close people");
  ASSERT_NE(close, nullptr);
  semantics::focusItem(*close);
  settle();
  int help = -1, panel = -1;
  const ImVector<ImGuiWindow*>& windows = GImGui->Windows;  // back to front
  for (int i = 0; i < windows.Size; ++i) {
    if (!windows[i]->Active) continue;
    if (windows[i]->ID == ImHashStr("###help")) help = i;
    if (windows[i]->ID == ImHashStr("###panel")) panel = i;
  }
  ASSERT_GE(help, 0);
  ASSERT_GE(panel, 0);
  EXPECT_GT(help, panel);
}

TEST_F(SemanticsFrames, AShortcutTooltipOnKeyboardFocusLeavesTheNextButtonVisible) {
  s = room();
  settle();
  const Node mute = *named(Role::Button, "Mute");
  const Node next = *named(Role::Button, "Stop video");
  semantics::focusItem(mute);
  settle();
  ImGuiWindow* tooltip = nullptr;
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && (w->Flags & ImGuiWindowFlags_Tooltip)) tooltip = w;
  ASSERT_NE(tooltip, nullptr) << "the shortcut shows on keyboard focus";
  const ImRect nextRect(next.x, next.y, next.x + next.w, next.y + next.h);
  EXPECT_FALSE(tooltip->Rect().Overlaps(nextRect));
  EXPECT_LE(tooltip->Rect().Max.y, mute.y) << "above the button";
}

TEST(SemanticsDiff, IsValidJsonWhateverTheNamesHold) {
  Node message;
  message.id = 7;
  message.role = Role::Text;
  message.name = "Ada: \"quoted\"\nback\\slash \x01 \xe6\x97\xa5\xe6\x9c\xac";
  message.x = 10.5f;
  const nlohmann::json parsed = nlohmann::json::parse(semantics::diff({}, {message}));
  EXPECT_EQ(parsed["set"][0]["name"], message.name);
  EXPECT_EQ(parsed["set"][0]["role"], "text");
  EXPECT_EQ(parsed["set"][0]["x"], 10.5);
  EXPECT_EQ(parsed["order"], nlohmann::json::array({7}));
  const nlohmann::json gone = nlohmann::json::parse(semantics::diff({message}, {}));
  EXPECT_EQ(gone["remove"], nlohmann::json::array({7}));
}

}  // namespace
}  // namespace vroom::ui
