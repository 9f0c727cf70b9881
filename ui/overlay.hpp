// The whole ImGui overlay of a room: the lobby before joining, and in the room the tiles'
// decorations, the top bar, the toolbar, panels and error toasts. It also places the video
// tiles (through VideoSurface) from the pure layout functions, so layout lives in one place.
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "chat_panel.hpp"
#include "layout.hpp"
#include "lobby.hpp"
#include "moderation_controls.hpp"
#include "room_actions.hpp"
#include "session_snapshot.hpp"
#include "stats_history.hpp"
#include "tiles.hpp"
#include "video_surface.hpp"

namespace vroom::ui {

enum class Panel { None, Chat, People, Stats };

class Overlay {
 public:
  explicit Overlay(LobbyForm initial = {});

  // Draws one frame (inside ImGui::NewFrame/Render) and moves video tiles to match it.
  void draw(const SessionSnapshot& snapshot, RoomActions& actions, VideoSurface& surface);

  // The natural size of a stream, reported by the browser when its video starts; tiles then
  // keep the stream's real aspect ratio.
  void setVideoSize(const std::string& streamId, float width, float height);

  // True while the overlay needs more frames without new input (a focus change in flight).
  bool wantsFrames() const { return panel_ == Panel::Chat && chat_.focusInput; }

  LobbyForm& lobbyForm() { return form_; }
  const LayoutResult& layout() const { return layout_; }
  const std::vector<TileInfo>& tiles() const { return tiles_; }
  Panel panel() const { return panel_; }
  void setPanel(Panel panel) { panel_ = panel; }
  bool speakerView() const { return speakerView_; }
  const std::string& pinned() const { return pinned_; }
  int unreadChat() const { return unread_; }
  // Per-peer statistics over time (fed by the bridge), for the stats panel and tile badges.
  StatsHistory& stats() { return stats_; }
  ChatPanelState& chat() { return chat_; }

 private:
  bool inRoom(const SessionSnapshot& s) const;
  void drawLobbyScreen(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface);
  void drawRoomScreen(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface);
  void layoutTiles(const SessionSnapshot& s, const Insets& reserved);
  void placeVideos(VideoSurface& surface, const std::string& previewStream = {},
                   const Rect& previewRect = {});
  void drawTileDecorations(const SessionSnapshot& s);
  void drawTopBar(const SessionSnapshot& s);
  void drawToolbar(const SessionSnapshot& s, RoomActions& actions);
  void drawErrorToast(const SessionSnapshot& s, RoomActions& actions);  // and the notice
  void drawNotice(const SessionSnapshot& s, RoomActions& actions);
  void drawSidePanel(const SessionSnapshot& s, RoomActions& actions);
  void handleTileClicks();
  void handleShortcuts(const SessionSnapshot& s, RoomActions& actions);
  void togglePanel(Panel panel);
  float aspectOf(const std::string& streamId) const;

  LobbyForm form_;
  Panel panel_ = Panel::None;
  bool speakerView_ = false;
  std::string pinned_;
  std::unordered_map<std::string, float> aspects_;
  std::set<std::string> shown_;  // streams placed last frame
  std::vector<TileInfo> tiles_;
  LayoutResult layout_;
  std::size_t chatSeen_ = 0;
  int unread_ = 0;
  ChatPanelState chat_;
  StatsHistory stats_;
  float toolbarHeight_ = 72.0f;
  float lobbyHeight_ = 460.0f;
  SessionErrorCode lobbyError_ = SessionErrorCode::None;  // the error the lobby last showed
  ModerationState moderation_;                            // the people panel's confirmations
  std::size_t screensShown_ = 0;
  bool stopShareRequested_ =
      false;  // from the top bar's button  // a new screen share switches to speaker view once  //
              // measured each frame; the preview takes what is left
};

}  // namespace vroom::ui
