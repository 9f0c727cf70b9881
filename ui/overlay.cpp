// Overlay frame: picks the screen from the session state, arranges the tiles, then draws the
// room's parts in order (top bar, toolbar, toasts, side panel) and applies tile clicks and
// shortcuts to the view.
#include "overlay.hpp"

#include <algorithm>

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharToUtf8

#include "frame_difference.hpp"
#include "help_panel.hpp"
#include "shortcuts.hpp"
#include "side_panel.hpp"
#include "tile_semantics.hpp"
#include "toasts.hpp"
#include "toolbar.hpp"
#include "top_bar.hpp"

namespace vroom::ui {
namespace {

bool previewShown(const SessionSnapshot& s) {
  return !s.local.streamId.empty() && s.local.hasCamera && s.local.cameraOn;
}

// The lobby keeps the preview's place from the moment the camera is asked for, so the lobby
// window does not jump down when the picture arrives.
bool previewReserved(const SessionSnapshot& s) {
  return previewShown(s) || (s.local.acquiring && s.local.cameraOn);
}

}  // namespace

Overlay::Overlay(LobbyForm initial) : form_(std::move(initial)) {}

bool Overlay::inRoom(const SessionSnapshot& s) const {
  return s.state == SessionState::Joined ||
         (s.state == SessionState::Reconnecting && !s.self.id.empty());
}

void Overlay::setDisplaySize(float width, float height) {
  displayW_ = width;
  displayH_ = height;
}

void Overlay::arrange(const SessionSnapshot& s, VideoSurface& surface) {
  if (inRoom(s))
    arrangeRoom(s, surface);
  else
    arrangeLobby(s, surface);
}

LobbyView Overlay::lobbyViewOf(const SessionSnapshot& s) const {
  LobbyView view;
  view.waiting = s.state == SessionState::Waiting;
  view.busy = s.state == SessionState::Connecting || s.state == SessionState::Hello ||
              s.state == SessionState::Joining || s.state == SessionState::Reconnecting ||
              view.waiting;
  if (s.error.code != SessionErrorCode::None) view.errorMessage = s.error.message;
  const SessionErrorCode code = s.error.code;
  view.passwordAsked = code == SessionErrorCode::PasswordRequired ||
                       code == SessionErrorCode::WrongPassword ||
                       code == SessionErrorCode::TooManyAttempts;
  // The steps of a first join pass in milliseconds: one line for all of them, not a flicker.
  const bool joining = s.state == SessionState::Connecting || s.state == SessionState::Hello ||
                       s.state == SessionState::Joining;
  if (joining)
    view.statusMessage = s.room.empty() ? "Joining..." : "Joining " + s.room + "...";
  else if (view.busy)
    view.statusMessage = s.reason.empty() ? "Connecting..." : s.reason;
  else if (s.state == SessionState::Left && !s.reason.empty())
    view.statusMessage = s.reason;
  view.devices = s.local.devices;
  return view;
}

bool Overlay::drawsDifference(const SessionSnapshot& before, const SessionSnapshot& after) const {
  if (inRoom(before) != inRoom(after)) return true;
  if (!inRoom(after)) {
    const LobbyView a = lobbyViewOf(before), b = lobbyViewOf(after);
    return a.busy != b.busy || a.waiting != b.waiting || a.errorMessage != b.errorMessage ||
           a.passwordAsked != b.passwordAsked || a.statusMessage != b.statusMessage ||
           a.devices != b.devices || previewShown(before) != previewShown(after) ||
           previewReserved(before) != previewReserved(after) ||
           before.local.streamId != after.local.streamId;
  }
  return roomDrawsDifference(before, after, view_.panel);
}

void Overlay::draw(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface) {
  const ImGuiIO& io = ImGui::GetIO();
  setDisplaySize(io.DisplaySize.x, io.DisplaySize.y);
  if (inRoom(s)) {
    drawRoomScreen(s, actions, surface);
  } else {
    drawLobbyScreen(s, actions, surface);
  }
}

void Overlay::arrangeLobby(const SessionSnapshot& s, VideoSurface& surface) {
  // The camera preview sits above the lobby window, in whatever height the lobby leaves. Its
  // height is a 16:9 picture's at the lobby's width whatever the camera's shape (the width
  // follows the shape), so nothing moves when the picture or its size arrives, nor when the
  // device pickers appear with the camera's permission.
  const bool wanted = previewReserved(s) && !form_.audioOnly && sendsMedia(form_);
  const float most = std::min(420.0f, displayW_ - 24.0f);
  const float lobby = lobbyHeight_ + lobbyPendingPickersHeight(form_, s.local.devices);
  const float height = std::min(most * 9.0f / 16.0f, displayH_ - lobby - 3 * 16.0f);
  if (wanted && height >= 96.0f) {
    const float width = std::min(most, height * tiles_.aspectOf(s.local.streamId));
    lobbyPreview_ = {(displayW_ - width) * 0.5f, 16.0f, width, height};
  } else {
    lobbyPreview_ = {};
  }
  const bool showing = !lobbyPreview_.empty() && previewShown(s);
  tiles_.arrangePreview(showing ? s.local.streamId : std::string(), lobbyPreview_, surface);
}

// The preview's place while the camera starts: its outline and what is happening.
void Overlay::drawPreviewPlaceholder() const {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const Rect& r = lobbyPreview_;
  draw->AddRect(ImVec2(r.x, r.y), ImVec2(r.x + r.width, r.y + r.height),
                ImGui::GetColorU32(ImGuiCol_Border), 10.0f, 0, 1.0f);
  const char* text = "Starting your camera...";
  const ImVec2 size = ImGui::CalcTextSize(text);
  draw->AddText(ImVec2(r.x + (r.width - size.x) * 0.5f, r.y + (r.height - size.y) * 0.5f),
                ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
}

void Overlay::drawLobbyScreen(const SessionSnapshot& s, RoomActions& actions,
                              VideoSurface& surface) {
  LobbyView view = lobbyViewOf(s);
  view.measuredHeight = &lobbyHeight_;
  view.focusPassword = view.passwordAsked && s.error.code != lobbyError_;
  lobbyError_ = s.error.code;
  arrangeLobby(s, surface);
  if (!lobbyPreview_.empty()) {
    view.top = lobbyPreview_.y + lobbyPreview_.height + 16.0f;
    if (!previewShown(s)) drawPreviewPlaceholder();
  }

  const LobbyAction action = drawLobby(form_, view);
  if (action == LobbyAction::Join) {
    actions.clearError();
    actions.join(form_);
  } else if (action == LobbyAction::StopWaiting) {
    actions.leave();
  } else if (action == LobbyAction::DeviceChanged) {
    if (form_.audioInputId != s.local.audioInputId)
      actions.selectDevice(DeviceKind::AudioInput, form_.audioInputId);
    if (form_.videoInputId != s.local.videoInputId)
      actions.selectDevice(DeviceKind::VideoInput, form_.videoInputId);
    if (form_.audioOutputId != s.local.audioOutputId)
      actions.selectDevice(DeviceKind::AudioOutput, form_.audioOutputId);
  }
}

void Overlay::arrangeRoom(const SessionSnapshot& s, VideoSurface& surface) {
  const bool narrow = displayW_ < kNarrowWidth;
  Insets reserved;
  reserved.top = kTopBarHeight;
  reserved.bottom = toolbarHeight_;
  if (view_.panel != Panel::None && !narrow) reserved.right = kPanelWidth;
  std::vector<std::string> ids;
  for (const auto& m : s.members) ids.push_back(m.id);
  stats_.retain(ids);
  tiles_.arrangeRoom(s, displayW_, displayH_, reserved, view_, stats_, surface);
}

void Overlay::drawRoomScreen(const SessionSnapshot& s, RoomActions& actions,
                             VideoSurface& surface) {
  countUnreadChat(s);
  keepTypeAhead();
  arrangeRoom(s, surface);
  drawTopBar(s, actions);
  ToolbarState toolbar{unread_, view_.speakerView, view_.panel, focusReturnsTo_, toolbarHeight_};
  focusReturnsTo_ = Panel::None;
  apply(drawToolbar(s, actions, toolbar));
  toolbarHeight_ = toolbar.height;
  drawToasts(s, actions);
  const Panel open = view_.panel;
  drawSidePanel(s, view_.panel, toolbarHeight_, {chat_, stats_, moderation_}, actions);
  if (view_.helpOpen) drawHelpPanel(&view_.helpOpen);
  handleTileClicks();
  for (const ViewRequest request : handleShortcuts(s, actions)) apply(request);
  // A panel closed (its close button, Esc, its shortcut) while the keyboard's focus was in it:
  // the focus goes back to the panel's toolbar button rather than nowhere.
  const ImGuiWindow* nav = GImGui->NavWindow;
  if (open != Panel::None && view_.panel == Panel::None && nav &&
      nav->RootWindow->ID == ImHashStr("###panel"))
    focusReturnsTo_ = open;
  describeTiles(tiles_.tiles(), tiles_.layout(), view_.pinned);  // for the semantics mirror
}

// New chat while the chat panel is closed counts as unread.
void Overlay::countUnreadChat(const SessionSnapshot& s) {
  if (view_.panel == Panel::Chat) chatSeen_ = s.chat.size();
  if (chatSeen_ > s.chat.size()) chatSeen_ = 0;
  unread_ = 0;
  for (std::size_t i = chatSeen_; i < s.chat.size(); ++i)
    if (!s.chat[i].mine) ++unread_;
}

// Type-ahead: characters typed right after opening the chat, before its input has taken
// keyboard focus, belong to the draft rather than being lost (or read as shortcuts).
void Overlay::keepTypeAhead() {
  ImGuiIO& input = ImGui::GetIO();
  if (view_.panel != Panel::Chat || !chat_.focusInput || input.WantTextInput) return;
  for (const ImWchar c : input.InputQueueCharacters) {
    if (c < 0x20) continue;
    char utf8[5] = {};
    ImTextCharToUtf8(utf8, c);
    chat_.draft += utf8;
  }
  input.InputQueueCharacters.resize(0);
}

void Overlay::handleTileClicks() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse || !ImGui::IsMouseClicked(ImGuiMouseButton_Left)) return;
  const std::string id = tiles_.tileAt(io.MousePos.x, io.MousePos.y);
  if (!id.empty()) view_.clickTile(id);
}

bool Overlay::pressTile(std::uint32_t nodeId) {
  for (const TileInfo& tile : tiles_.tiles()) {
    if (tileNodeId(tile.id) != nodeId) continue;
    view_.clickTile(tile.id);
    return true;
  }
  return false;
}

void Overlay::apply(ViewRequest request) {
  if (view_.apply(request)) chat_.focusInput = true;
}

}  // namespace vroom::ui
