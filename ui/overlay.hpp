// The whole interface of a room: the lobby before joining, and in the room the top bar, the
// toolbar, panels and error toasts (ImGui), plus the video tiles and their labels, which it
// places through VideoSurface from the pure layout functions, so layout lives in one place.
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

  // Places the video tiles and their labels for `snapshot` without an ImGui frame, in the
  // window size of the last frame (or setDisplaySize): a speaking ring, a quality badge or a
  // video's new size changes the page's tiles, not what ImGui draws.
  void arrange(const SessionSnapshot& snapshot, VideoSurface& surface);
  void setDisplaySize(float width, float height);
  // Whether an ImGui frame would draw anything different for `after` than for `before` (the
  // snapshot of the last frame): false when only what the tiles show changed.
  bool drawsDifference(const SessionSnapshot& before, const SessionSnapshot& after) const;

  // The natural size of a stream, reported by the browser when its video starts; tiles then
  // keep the stream's real aspect ratio.
  void setVideoSize(const std::string& streamId, float width, float height);

  // True while the overlay needs more frames without new input (a focus change in flight).
  bool wantsFrames() const { return panel_ == Panel::Chat && chat_.focusInput; }

  LobbyForm& lobbyForm() { return form_; }
  const LayoutResult& layout() const { return layout_; }
  const std::vector<TileInfo>& tiles() const { return tiles_; }
  Panel panel() const { return panel_; }
  bool helpOpen() const { return helpOpen_; }
  void setPanel(Panel panel) { panel_ = panel; }
  bool speakerView() const { return speakerView_; }
  const std::string& pinned() const { return pinned_; }
  int unreadChat() const { return unread_; }
  // Per-peer statistics over time (fed by the bridge), for the stats panel and tile badges.
  StatsHistory& stats() { return stats_; }
  ChatPanelState& chat() { return chat_; }

 private:
  bool inRoom(const SessionSnapshot& s) const;
  // What the lobby shows of the session: one rule for drawing it and for deciding to.
  LobbyView lobbyViewOf(const SessionSnapshot& s) const;
  void drawLobbyScreen(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface);
  void drawRoomScreen(const SessionSnapshot& s, RoomActions& actions, VideoSurface& surface);
  void arrangeLobby(const SessionSnapshot& s, VideoSurface& surface);
  void arrangeRoom(const SessionSnapshot& s, VideoSurface& surface);
  void layoutTiles(const SessionSnapshot& s, const Insets& reserved);
  void placeVideos(VideoSurface& surface, const std::string& previewStream = {},
                   const Rect& previewRect = {});
  void labelTiles(VideoSurface& surface);
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
  std::set<std::string> shown_;     // streams placed last frame
  std::set<std::string> labelled_;  // tiles labelled last frame
  bool captioned_ = false;
  float displayW_ = 0, displayH_ = 0;
  std::vector<TileInfo> tiles_;
  LayoutResult layout_;
  std::size_t chatSeen_ = 0;
  int unread_ = 0;
  ChatPanelState chat_;
  StatsHistory stats_;
  float toolbarHeight_ = 72.0f;
  float lobbyHeight_ = 460.0f;  // measured each frame; the preview takes what is left
  Rect lobbyPreview_;
  SessionErrorCode lobbyError_ = SessionErrorCode::None;  // the error the lobby last showed
  ModerationState moderation_;                            // the people panel's confirmations
  std::size_t screensShown_ = 0;     // a new screen share switches to speaker view once
  bool stopShareRequested_ = false;  // from the top bar's button
  bool helpOpen_ = false;            // the keyboard help ('?')
};

}  // namespace vroom::ui
