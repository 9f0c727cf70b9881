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

ImU32 color(float r, float g, float b, float a = 1.0f) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, a));
}

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

void Overlay::draw(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface) {
  if (inRoom(s)) {
    drawRoomScreen(s, actions, surface);
  } else {
    drawLobbyScreen(s, actions, surface);
  }
}

void Overlay::drawLobbyScreen(const SessionSnapshot& s, RoomActions& actions,
                              VideoSurface& surface) {
  const ImGuiIO& io = ImGui::GetIO();
  tiles_.clear();
  layout_ = {};
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
  view.focusPassword = view.passwordAsked && code != lobbyError_;
  lobbyError_ = code;
  if (view.busy)
    view.statusMessage = s.reason.empty() ? "Connecting..." : s.reason;
  else if (s.state == SessionState::Left && !s.reason.empty())
    view.statusMessage = s.reason;
  view.devices = s.local.devices;

  // The camera preview sits above the lobby window, in whatever height the lobby leaves.
  Rect preview;
  view.measuredHeight = &lobbyHeight_;
  const bool showPreview = !s.local.streamId.empty() && s.local.hasVideo && s.local.camOn &&
                           !form_.audioOnly &&
                           !(form_.mode == LobbyMode::Broadcast && form_.role == LobbyRole::Viewer);
  const float aspect = aspectOf(s.local.streamId);
  const float width = std::min(420.0f, io.DisplaySize.x - 24.0f);
  const float height = std::min(width / aspect, io.DisplaySize.y - lobbyHeight_ - 3 * 16.0f);
  if (showPreview && height >= 96.0f) {
    preview = {(io.DisplaySize.x - height * aspect) * 0.5f, 16.0f, height * aspect, height};
    view.top = preview.y + preview.h + 16.0f;
  }
  placeVideos(surface, showPreview ? s.local.streamId : std::string(), preview);

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
  const ImGuiIO& io = ImGui::GetIO();
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
  in.width = io.DisplaySize.x;
  in.height = io.DisplaySize.y;
  in.reserved = reserved;
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
  auto show = [&](const std::string& stream, const Rect& rect, bool mirrored) {
    if (stream.empty() || rect.empty()) return;
    // Whole pixels, edges rounded inward, so neighbouring tiles never overlap.
    const float x0 = std::ceil(rect.x), y0 = std::ceil(rect.y);
    const float x1 = std::floor(rect.x + rect.w), y1 = std::floor(rect.y + rect.h);
    surface.show(stream, vroom::Rect{x0, y0, x1 - x0, y1 - y0}, mirrored);
    now.insert(stream);
  };
  show(previewStream, previewRect, true);
  for (std::size_t i = 0; i < tiles_.size() && i < layout_.tiles.size(); ++i) {
    const PlacedTile& placed = layout_.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles_[i];
    show(tile.streamId, placed.rect, tile.local && !tile.screen);
  }
  for (const std::string& stream : shown_)
    if (!now.count(stream)) surface.hide(stream);
  shown_ = std::move(now);
}

void Overlay::drawRoomScreen(const SessionSnapshot& s, RoomActions& actions,
                             VideoSurface& surface) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool narrow = io.DisplaySize.x < kNarrowWidth;
  Insets reserved;
  reserved.top = kTopBarHeight;
  reserved.bottom = toolbarHeight_;
  if (panel_ != Panel::None && !narrow) reserved.right = kPanelWidth;

  // New chat while the chat panel is closed counts as unread.
  if (panel_ == Panel::Chat) chatSeen_ = s.chat.size();
  if (chatSeen_ > s.chat.size()) chatSeen_ = 0;
  unread_ = 0;
  for (std::size_t i = chatSeen_; i < s.chat.size(); ++i)
    if (!s.chat[i].mine) ++unread_;

  std::vector<std::string> ids;
  for (const auto& m : s.members) ids.push_back(m.id);
  stats_.retain(ids);

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

  layoutTiles(s, reserved);
  placeVideos(surface);
  drawTileDecorations(s);
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

void Overlay::drawTileDecorations(const SessionSnapshot& s) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const float rounding = 10.0f;
  for (std::size_t i = 0; i < tiles_.size() && i < layout_.tiles.size(); ++i) {
    const PlacedTile& placed = layout_.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles_[i];
    const ImVec2 min(placed.rect.x, placed.rect.y);
    const ImVec2 max(placed.rect.x + placed.rect.w, placed.rect.y + placed.rect.h);

    if (tile.streamId.empty()) {
      // No video: a calm placeholder with the person's initials.
      draw->AddRectFilled(min, max, color(0.11f, 0.12f, 0.16f), rounding);
      const ImVec2 centre((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
      const float radius = std::max(12.0f, std::min(placed.rect.w, placed.rect.h) * 0.18f);
      draw->AddCircleFilled(centre, radius, color(0.27f, 0.52f, 0.98f, 0.85f), 48);
      const std::string initials = initialsOf(tile.name);
      const float size = radius * 0.9f;
      const ImVec2 textSize =
          ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, initials.c_str());
      draw->AddText(ImGui::GetFont(), size,
                    ImVec2(centre.x - textSize.x * 0.5f, centre.y - textSize.y * 0.5f),
                    color(1, 1, 1), initials.c_str());
    }
    if (tile.speaking) draw->AddRect(min, max, color(0.36f, 0.80f, 0.45f), rounding, 0, 3.0f);
    if (tile.id == pinned_) draw->AddRect(min, max, color(0.36f, 0.60f, 1.0f), rounding, 0, 2.0f);

    // Name pill, bottom left, with a muted-microphone mark.
    std::string label = tile.name;
    if (tile.host && !tile.local) label += "  (host)";
    if (!tile.micOn && !tile.screen) label = "[muted]  " + label;
    const ImVec2 textSize = ImGui::CalcTextSize(label.c_str());
    const ImVec2 pillMin(min.x + 8.0f, max.y - textSize.y - 16.0f);
    const ImVec2 pillMax(std::min(max.x - 8.0f, pillMin.x + textSize.x + 16.0f), max.y - 8.0f);
    if (pillMax.x > pillMin.x + 20.0f && pillMin.y > min.y) {
      draw->AddRectFilled(pillMin, pillMax, color(0, 0, 0, 0.55f), 6.0f);
      draw->PushClipRect(pillMin, pillMax, true);
      draw->AddText(ImVec2(pillMin.x + 8.0f, pillMin.y + 4.0f),
                    tile.micOn || tile.screen ? color(1, 1, 1) : color(1.0f, 0.75f, 0.72f),
                    label.c_str());
      draw->PopClipRect();
    }

    // Connection quality of remote peers, from their live statistics.
    const Quality quality = tile.local ? Quality::Unknown : stats_.quality(tile.peerId);
    if (quality != Quality::Unknown && !tile.screen) {
      const std::string badge(toString(quality));
      const ImVec2 size = ImGui::CalcTextSize(badge.c_str());
      const ImVec2 badgeMin(max.x - size.x - 30.0f, min.y + 8.0f);
      const ImVec2 badgeMax(max.x - 8.0f, min.y + 12.0f + size.y);
      if (badgeMin.x > min.x + 8.0f && badgeMax.y < max.y) {
        draw->AddRectFilled(badgeMin, badgeMax, color(0, 0, 0, 0.55f), 6.0f);
        draw->AddCircleFilled(ImVec2(badgeMin.x + 9.0f, (badgeMin.y + badgeMax.y) * 0.5f), 4.0f,
                              ImGui::ColorConvertFloat4ToU32(qualityColor(quality)));
        draw->AddText(ImVec2(badgeMin.x + 17.0f, badgeMin.y + 2.0f), color(1, 1, 1), badge.c_str());
      }
    }

    // While a peer connection is not up, say so on the tile.
    const char* state = tile.local ? "" : connectionText(tile.connection);
    if (*state) {
      draw->AddRectFilled(min, max, color(0, 0, 0, 0.45f), rounding);
      const ImVec2 size = ImGui::CalcTextSize(state);
      draw->AddText(ImVec2((min.x + max.x - size.x) * 0.5f, (min.y + max.y - size.y) * 0.5f),
                    color(1, 1, 1), state);
    }
  }
  if (layout_.hiddenCount > 0 && layout_.used != LayoutMode::Stage) {
    const std::string more = "+" + std::to_string(layout_.hiddenCount) + " more";
    draw->AddText(ImVec2(layout_.area.x + 4.0f, layout_.area.y + layout_.area.h - 18.0f),
                  color(0.8f, 0.82f, 0.88f), more.c_str());
  }
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
      next(s.local.micOn ? "Mute" : "Unmute");
      if (toggleButton(s.local.micOn ? "Mute" : "Unmute", s.local.micOn, "M"))
        actions.setMicrophone(!s.local.micOn);
      if (!s.audioOnly) {
        next(s.local.camOn ? "Stop video" : "Start video");
        if (toggleButton(s.local.camOn ? "Stop video" : "Start video", s.local.camOn, "V"))
          actions.setCamera(!s.local.camOn);
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
        if (!viewer) actions.setMicrophone(!s.local.micOn);
        break;
      case 'v':
      case 'V':
        if (!viewer && !s.audioOnly) actions.setCamera(!s.local.camOn);
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
