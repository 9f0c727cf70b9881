// Overlay frame: picks the screen from the session state, computes the tile layout, places
// the <video> tiles and draws everything ImGui shows over them.
#include "overlay.hpp"

#include <algorithm>
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharToUtf8

#include "people_panel.hpp"
#include "stats_panel.hpp"
#include "theme.hpp"

namespace vroom::ui {
namespace {

constexpr float kTopBarHeight = 44.0f;
constexpr float kPanelWidth = 340.0f;
constexpr ImGuiWindowFlags kBarFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                       ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_AlwaysAutoResize |
                                       ImGuiWindowFlags_NoFocusOnAppearing;

const char* connectionText(LinkState state) {
  switch (state) {
    case LinkState::Connecting:
      return "Connecting...";
    case LinkState::Reconnecting:
      return "Reconnecting...";
    case LinkState::Failed:
      return "Connection lost";
    case LinkState::Closed:
      return "Disconnected";
    case LinkState::Connected:
      return "";
  }
  return "";
}

// Whole pixels, edges rounded inward, so neighbouring tiles never overlap.
vroom::Rect snapped(const Rect& rect) {
  const float x0 = std::ceil(rect.x), y0 = std::ceil(rect.y);
  const float x1 = std::floor(rect.x + rect.w), y1 = std::floor(rect.y + rect.h);
  return vroom::Rect{x0, y0, x1 - x0, y1 - y0};
}

// A toolbar button that reads as on/off: the "off" state is drawn in a warning colour.
bool toggleButton(const char* label, bool on, const char* shortcut) {
  if (!on) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.18f, 0.18f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.65f, 0.22f, 0.22f, 1.0f));
  }
  const bool pressed = ImGui::Button(label);
  if (!on) ImGui::PopStyleColor(2);
  if (shortcut && ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: %s", shortcut);
  return pressed;
}

}  // namespace

Overlay::Overlay(LobbyForm initial) : form_(std::move(initial)) {}

void Overlay::setVideoSize(const std::string& streamId, float width, float height) {
  if (width > 0 && height > 0) aspects_[streamId] = width / height;
}

float Overlay::aspectOf(const std::string& streamId) const {
  const auto it = aspects_.find(streamId);
  return it == aspects_.end() ? 16.0f / 9.0f : it->second;
}

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

namespace {

// What ImGui draws from a snapshot, as one comparable value: the tiles (speaking rings,
// connection notices, muted marks) are the page's, so they are left out unless a panel
// lists them.
struct Drawn {
  SessionState state;
  std::string reason;
  Recovery recovery;
  std::string room;
  protocol::Mode mode;
  bool audioOnly;
  SelfSnapshot self;
  SessionError error;
  SessionError notice;
  bool locked;
  LocalMediaSnapshot local;
  std::size_t people;
  std::size_t viewers;
  std::vector<MemberSnapshot> members;  // only while a panel lists them
  std::size_t chat;
  const ChatEntry* lastChat;
  bool operator==(const Drawn& o) const {
    return state == o.state && reason == o.reason && recovery == o.recovery && room == o.room &&
           mode == o.mode && audioOnly == o.audioOnly && self == o.self && error == o.error &&
           notice == o.notice && locked == o.locked && local == o.local && people == o.people &&
           viewers == o.viewers && members == o.members && chat == o.chat &&
           (lastChat == o.lastChat || (lastChat && o.lastChat && *lastChat == *o.lastChat));
  }
};

bool previewShown(const SessionSnapshot& s) {
  return !s.local.streamId.empty() && s.local.hasCamera && s.local.cameraOn;
}

Drawn drawnPart(const SessionSnapshot& s, bool listsMembers, bool listsSpeaking) {
  Drawn d{s.state,  s.reason,    s.recovery,    s.room,
          s.mode,   s.audioOnly, s.self,        s.error,
          s.notice, s.locked,    s.local,       s.members.size(),
          0,        {},          s.chat.size(), s.chat.empty() ? nullptr : &s.chat.back()};
  d.local.speaking = listsSpeaking && d.local.speaking;
  for (const MemberSnapshot& m : s.members) d.viewers += m.role == protocol::Role::Viewer;
  if (listsMembers) {
    d.members = s.members;
    if (!listsSpeaking)
      for (MemberSnapshot& m : d.members) m.speaking = false;
  }
  return d;
}

}  // namespace

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
           before.local.streamId != after.local.streamId;
  }
  const bool lists = inRoom(after) && (panel_ == Panel::People || panel_ == Panel::Stats);
  const bool speaking = inRoom(after) && panel_ == Panel::People;
  return !(drawnPart(before, lists, speaking) == drawnPart(after, lists, speaking));
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
  tiles_.clear();
  layout_ = {};
  labelTiles(surface);
  // The camera preview sits above the lobby window, in whatever height the lobby leaves.
  const bool showPreview = previewShown(s) && !form_.audioOnly &&
                           !(form_.mode == LobbyMode::Broadcast && form_.role == LobbyRole::Viewer);
  const float aspect = aspectOf(s.local.streamId);
  const float width = std::min(420.0f, displayW_ - 24.0f);
  const float height = std::min(width / aspect, displayH_ - lobbyHeight_ - 3 * 16.0f);
  if (showPreview && height >= 96.0f) {
    lobbyPreview_ = {(displayW_ - height * aspect) * 0.5f, 16.0f, height * aspect, height};
  } else {
    lobbyPreview_ = {};
  }
  placeVideos(surface, lobbyPreview_.empty() ? std::string() : s.local.streamId, lobbyPreview_);
}

void Overlay::drawLobbyScreen(const SessionSnapshot& s, RoomActions& actions,
                              VideoSurface& surface) {
  LobbyView view = lobbyViewOf(s);
  view.measuredHeight = &lobbyHeight_;
  view.focusPassword = view.passwordAsked && s.error.code != lobbyError_;
  lobbyError_ = s.error.code;
  arrangeLobby(s, surface);
  if (!lobbyPreview_.empty()) view.top = lobbyPreview_.y + lobbyPreview_.h + 16.0f;

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

void Overlay::layoutTiles(const SessionSnapshot& s, const Insets& reserved) {
  tiles_ = tilesFor(s);
  // A screen share that starts takes the large slot; the person can switch back to the grid.
  const std::size_t screens = static_cast<std::size_t>(
      std::count_if(tiles_.begin(), tiles_.end(), [](const TileInfo& t) { return t.screen; }));
  if (screens > screensShown_ && s.mode == protocol::Mode::Conference) speakerView_ = true;
  screensShown_ = screens;
  // A pinned tile that left is forgotten.
  if (!pinned_.empty() && std::none_of(tiles_.begin(), tiles_.end(),
                                       [&](const TileInfo& t) { return t.id == pinned_; }))
    pinned_.clear();
  LayoutInput in;
  in.width = displayW_;
  in.height = displayH_;
  in.reserved = reserved;
  in.floatSelfView = true;
  in.mode = layoutModeFor(s, speakerView_);
  in.pinnedId = pinned_;
  for (const TileInfo& t : tiles_) {
    if (t.speaking && !t.local && in.speakerId.empty()) in.speakerId = t.id;
    in.tiles.push_back(
        {t.id, t.streamId.empty() ? 16.0f / 9.0f : aspectOf(t.streamId), t.screen, t.local});
  }
  layout_ = computeLayout(in);
}

void Overlay::placeVideos(VideoSurface& surface, const std::string& previewStream,
                          const Rect& previewRect) {
  std::set<std::string> now;
  auto show = [&](const std::string& stream, const Rect& rect, VideoLook look) {
    if (stream.empty() || rect.empty()) return;
    surface.show(stream, snapped(rect), look);
    now.insert(stream);
  };
  show(previewStream, previewRect, {.mirrored = true});
  for (std::size_t i = 0; i < tiles_.size() && i < layout_.tiles.size(); ++i) {
    const PlacedTile& placed = layout_.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles_[i];
    show(tile.streamId, placed.rect, {tile.local && !tile.screen, placed.floating});
  }
  for (const std::string& stream : shown_)
    if (!now.count(stream)) surface.hide(stream);
  shown_ = std::move(now);
}

void Overlay::arrangeRoom(const SessionSnapshot& s, VideoSurface& surface) {
  const bool narrow = displayW_ < kNarrowWidth;
  Insets reserved;
  reserved.top = kTopBarHeight;
  reserved.bottom = toolbarHeight_;
  if (panel_ != Panel::None && !narrow) reserved.right = kPanelWidth;
  std::vector<std::string> ids;
  for (const auto& m : s.members) ids.push_back(m.id);
  stats_.retain(ids);
  layoutTiles(s, reserved);
  placeVideos(surface);
  labelTiles(surface);
}

void Overlay::drawRoomScreen(const SessionSnapshot& s, RoomActions& actions,
                             VideoSurface& surface) {
  // New chat while the chat panel is closed counts as unread.
  if (panel_ == Panel::Chat) chatSeen_ = s.chat.size();
  if (chatSeen_ > s.chat.size()) chatSeen_ = 0;
  unread_ = 0;
  for (std::size_t i = chatSeen_; i < s.chat.size(); ++i)
    if (!s.chat[i].mine) ++unread_;

  // Type-ahead: characters typed right after opening the chat, before its input has taken
  // keyboard focus, belong to the draft rather than being lost.
  ImGuiIO& input = ImGui::GetIO();
  if (panel_ == Panel::Chat && chat_.focusInput && !input.WantTextInput) {
    for (const ImWchar c : input.InputQueueCharacters) {
      if (c < 0x20) continue;
      char utf8[5] = {};
      ImTextCharToUtf8(utf8, c);
      chat_.draft += utf8;
    }
    input.InputQueueCharacters.resize(0);
  }

  arrangeRoom(s, surface);
  drawTopBar(s);
  if (stopShareRequested_) {
    stopShareRequested_ = false;
    actions.stopScreenShare();
  }
  drawToolbar(s, actions);
  drawErrorToast(s, actions);
  drawSidePanel(s, actions);
  handleTileClicks();
  handleShortcuts(s, actions);
}

void Overlay::labelTiles(VideoSurface& surface) {
  std::set<std::string> now;
  for (std::size_t i = 0; i < tiles_.size() && i < layout_.tiles.size(); ++i) {
    const PlacedTile& placed = layout_.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles_[i];
    TileLabel label;
    label.name = tile.host && !tile.local ? tile.name + " (host)" : tile.name;
    label.muted = !tile.micOn && !tile.screen;
    label.speaking = tile.speaking;
    label.pinned = tile.id == pinned_;
    label.floating = placed.floating;
    // Connection quality of remote peers, from their live statistics.
    const Quality quality =
        tile.local || tile.screen ? Quality::Unknown : stats_.quality(tile.peerId);
    if (quality != Quality::Unknown) label.quality = std::string(toString(quality));
    // While a peer connection is not up, say so on the tile.
    if (!tile.local) label.notice = connectionText(tile.connection);
    if (tile.streamId.empty()) label.initials = tile.initials;
    surface.label(tile.id, snapped(placed.rect), label);
    now.insert(tile.id);
  }
  for (const std::string& id : labelled_)
    if (!now.count(id)) surface.unlabel(id);
  labelled_ = std::move(now);

  const bool more = layout_.hiddenCount > 0 && layout_.used != LayoutMode::Stage;
  if (more) {
    surface.caption("+" + std::to_string(layout_.hiddenCount) + " more", layout_.area.x + 4.0f,
                    layout_.area.y + layout_.area.h);
  } else if (captioned_) {
    surface.caption({}, 0, 0);
  }
  captioned_ = more;
}

void Overlay::drawTopBar(const SessionSnapshot& s) {
  ImGui::SetNextWindowPos(ImVec2(8.0f, 6.0f));
  ImGui::SetNextWindowBgAlpha(0.75f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12.0f, 6.0f));
  if (ImGui::Begin("##topbar", nullptr, kBarFlags)) {
    const bool broadcast = s.mode == protocol::Mode::Broadcast;
    if (broadcast && s.self.role == protocol::Role::Host) {
      ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.35f, 1.0f), "LIVE");
      ImGui::SameLine();
      std::size_t viewers = 0;
      for (const auto& m : s.members) viewers += m.role == protocol::Role::Viewer;
      ImGui::Text("%s  |  %zu viewer%s", s.room.c_str(), viewers, viewers == 1 ? "" : "s");
    } else if (broadcast) {
      ImGui::Text("%s  |  watching", s.room.c_str());
    } else {
      const std::size_t people = s.members.size() + 1;
      ImGui::Text("%s  |  %zu %s", s.room.c_str(), people, people == 1 ? "person" : "people");
    }
    if (s.audioOnly) {
      ImGui::SameLine();
      ImGui::TextDisabled("(audio only)");
    }
    if (s.locked) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.78f, 0.35f, 1.0f), "Locked: nobody new can join");
    }
    if (s.local.sharing) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(0.45f, 0.85f, 0.55f, 1.0f), "You are sharing your screen");
      ImGui::SameLine();
      if (ImGui::SmallButton("Stop sharing##topbar")) stopShareRequested_ = true;
    }
    if (s.state == SessionState::Reconnecting || s.recovery != Recovery::None) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.78f, 0.35f, 1.0f), "%s",
                         s.state == SessionState::Reconnecting ? "Reconnecting to the server..."
                         : s.recovery == Recovery::IceRestart  ? "Restoring a connection..."
                                                               : "Rejoining...");
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

void Overlay::drawToolbar(const SessionSnapshot& s, RoomActions& actions) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool viewer = s.mode == protocol::Mode::Broadcast && s.self.role == protocol::Role::Viewer;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y - 12.0f),
                          ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.85f);
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(io.DisplaySize.x - 16.0f, FLT_MAX));
  if (ImGui::Begin("##toolbar", nullptr, kBarFlags)) {
    // Flow layout: buttons wrap onto another row when the window is narrow (phones).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float maxRow = io.DisplaySize.x - 16.0f - 2.0f * style.WindowPadding.x;
    float row = -1.0f;  // width used on the current row; negative: nothing placed yet
    auto next = [&](const char* label) {
      const float width = ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * style.FramePadding.x;
      if (row >= 0.0f && row + style.ItemSpacing.x + width <= maxRow) {
        ImGui::SameLine();
        row += style.ItemSpacing.x + width;
      } else {
        row = width;
      }
    };
    if (!viewer) {
      next(s.local.microphoneOn ? "Mute" : "Unmute");
      if (toggleButton(s.local.microphoneOn ? "Mute" : "Unmute", s.local.microphoneOn, "M"))
        actions.setMicrophone(!s.local.microphoneOn);
      if (!s.audioOnly) {
        next(s.local.cameraOn ? "Stop video" : "Start video");
        if (toggleButton(s.local.cameraOn ? "Stop video" : "Start video", s.local.cameraOn, "V"))
          actions.setCamera(!s.local.cameraOn);
      }
      if (!s.audioOnly && s.mode == protocol::Mode::Conference) {
        next(s.local.sharing ? "Stop sharing" : "Share screen");
        if (s.local.sharing) {
          if (toggleButton("Stop sharing", false, nullptr)) actions.stopScreenShare();
        } else if (ImGui::Button("Share screen")) {
          actions.startScreenShare();
        }
      }
    }
    const std::string chatLabel =
        unread_ > 0 ? "Chat (" + std::to_string(unread_) + ")###chat" : std::string("Chat###chat");
    next(chatLabel.c_str());
    if (ImGui::Button(chatLabel.c_str())) togglePanel(Panel::Chat);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: C");
    next("People");
    if (ImGui::Button("People")) togglePanel(Panel::People);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: P");
    next("Stats");
    if (ImGui::Button("Stats")) togglePanel(Panel::Stats);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: S");
    if (s.mode == protocol::Mode::Conference) {
      next(speakerView_ ? "Grid view" : "Speaker view");
      if (ImGui::Button(speakerView_ ? "Grid view" : "Speaker view")) speakerView_ = !speakerView_;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: G");
    }
    next("Leave");
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.80f, 0.22f, 0.22f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.90f, 0.28f, 0.28f, 1.0f));
    if (ImGui::Button("Leave")) actions.leave();
    ImGui::PopStyleColor(2);
    toolbarHeight_ = ImGui::GetWindowHeight() + 20.0f;
  }
  ImGui::End();
}

void Overlay::drawErrorToast(const SessionSnapshot& s, RoomActions& actions) {
  drawNotice(s, actions);
  if (s.error.code == SessionErrorCode::None) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, kTopBarHeight + 8.0f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0),
                                      ImVec2(std::min(520.0f, io.DisplaySize.x - 16.0f), FLT_MAX));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.35f, 0.10f, 0.10f, 0.95f));
  if (ImGui::Begin("##error", nullptr, kBarFlags)) {
    ImGui::PushTextWrapPos(std::min(480.0f, io.DisplaySize.x - 48.0f));
    ImGui::TextUnformatted(s.error.message.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::SmallButton("Dismiss")) actions.clearError();
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

// A neutral notice (a moderator's mute request) under the top bar, in blue, until dismissed.
void Overlay::drawNotice(const SessionSnapshot& s, RoomActions& actions) {
  if (s.notice.code == SessionErrorCode::None) return;
  const ImGuiIO& io = ImGui::GetIO();
  const float top = kTopBarHeight + 8.0f + (s.error.code == SessionErrorCode::None ? 0.0f : 72.0f);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, top), ImGuiCond_Always,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0),
                                      ImVec2(std::min(520.0f, io.DisplaySize.x - 16.0f), FLT_MAX));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.12f, 0.25f, 0.50f, 0.95f));
  if (ImGui::Begin("##notice", nullptr, kBarFlags)) {
    ImGui::PushTextWrapPos(std::min(480.0f, io.DisplaySize.x - 48.0f));
    ImGui::TextUnformatted(s.notice.message.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::SmallButton("OK##notice")) actions.clearNotice();
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

void Overlay::handleTileClicks() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse || !ImGui::IsMouseClicked(ImGuiMouseButton_Left)) return;
  const int index = tileAt(layout_, io.MousePos.x, io.MousePos.y);
  if (index < 0 || index >= static_cast<int>(tiles_.size())) return;
  const std::string& id = tiles_[index].id;
  if (pinned_ == id) {
    pinned_.clear();
  } else {
    pinned_ = id;
    speakerView_ = true;
  }
}

void Overlay::togglePanel(Panel panel) {
  panel_ = panel_ == panel ? Panel::None : panel;
  if (panel_ == Panel::Chat) chat_.focusInput = true;
}

void Overlay::drawSidePanel(const SessionSnapshot& s, RoomActions& actions) {
  if (panel_ == Panel::None) return;
  const ImGuiIO& io = ImGui::GetIO();
  // Beside the tiles on wide windows; over them, full width, on phones.
  const bool narrow = io.DisplaySize.x < kNarrowWidth;
  const float width = narrow ? io.DisplaySize.x - 16.0f : kPanelWidth - 8.0f;
  const float top = kTopBarHeight + 4.0f;
  const float height = std::max(120.0f, io.DisplaySize.y - top - toolbarHeight_);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - width - 8.0f, top));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  const char* titles[] = {"", "Chat###panel", "People###panel", "Stats###panel"};
  bool open = true;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
  if (ImGui::Begin(titles[static_cast<int>(panel_)], &open, flags)) {
    switch (panel_) {
      case Panel::Chat:
        drawChatPanel(s, chat_, actions);
        break;
      case Panel::People:
        drawPeoplePanel(s, &stats_, &actions, &moderation_);
        break;
      case Panel::Stats:
        drawStatsPanel(s, stats_);
        break;
      case Panel::None:
        break;
    }
  }
  ImGui::End();
  if (!open) panel_ = Panel::None;
}

void Overlay::handleShortcuts(const SessionSnapshot& s, RoomActions& actions) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
  const bool viewer = s.mode == protocol::Mode::Broadcast && s.self.role == protocol::Role::Viewer;
  for (const ImWchar c : io.InputQueueCharacters) {
    switch (c) {
      case 'm':
      case 'M':
        if (!viewer) actions.setMicrophone(!s.local.microphoneOn);
        break;
      case 'v':
      case 'V':
        if (!viewer && !s.audioOnly) actions.setCamera(!s.local.cameraOn);
        break;
      case 'g':
      case 'G':
        speakerView_ = !speakerView_;
        break;
      case 'c':
      case 'C':
        togglePanel(Panel::Chat);
        break;
      case 'p':
      case 'P':
        togglePanel(Panel::People);
        break;
      case 's':
      case 'S':
        togglePanel(Panel::Stats);
        break;
      default:
        break;
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    if (!pinned_.empty())
      pinned_.clear();
    else
      panel_ = Panel::None;
  }
}

}  // namespace vroom::ui
