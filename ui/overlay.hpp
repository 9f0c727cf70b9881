// The whole interface of a room: the lobby before joining; in the room the top bar, the
// toolbar, the toasts and the side panel (ImGui), the shortcuts, and the video tiles with their
// labels, placed through VideoSurface. A thin composition: each part lives in its own file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chat_panel.hpp"
#include "layout.hpp"
#include "lobby.hpp"
#include "moderation_controls.hpp"
#include "room_actions.hpp"
#include "room_view.hpp"
#include "session_snapshot.hpp"
#include "stats_history.hpp"
#include "tile_arrangement.hpp"
#include "tiles.hpp"
#include "video_surface.hpp"

namespace vroom::ui {

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
  void setVideoSize(const std::string& streamId, float width, float height) {
    tiles_.setVideoSize(streamId, width, height);
  }

  // True while the overlay needs more frames without new input (a focus change in flight).
  bool wantsFrames() const { return view_.panel == Panel::Chat && chat_.focusInput; }

  // The mirror's tile node `nodeId` was pressed (Enter, Space, assistive technology): the same
  // as a click on that tile. False when no shown tile has that node.
  bool pressTile(std::uint32_t nodeId);

  LobbyForm& lobbyForm() { return form_; }
  const LayoutResult& layout() const { return tiles_.layout(); }
  const std::vector<TileInfo>& tiles() const { return tiles_.tiles(); }
  Panel panel() const { return view_.panel; }
  void setPanel(Panel panel) { view_.panel = panel; }
  bool speakerView() const { return view_.speakerView; }
  const std::string& pinned() const { return view_.pinned; }
  bool helpOpen() const { return view_.helpOpen; }
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
  void drawPreviewPlaceholder() const;
  void arrangeRoom(const SessionSnapshot& s, VideoSurface& surface);
  void countUnreadChat(const SessionSnapshot& s);
  void keepTypeAhead();
  void handleTileClicks();
  void apply(ViewRequest request);

  LobbyForm form_;
  RoomView view_;
  TileArrangement tiles_;
  float displayW_ = 0, displayH_ = 0;
  std::size_t chatSeen_ = 0;
  int unread_ = 0;
  ChatPanelState chat_;
  StatsHistory stats_;
  ModerationState moderation_;  // the people panel's confirmations
  float toolbarHeight_ = 72.0f;
  float lobbyHeight_ = 460.0f;  // measured each frame; the preview takes what is left
  Rect lobbyPreview_;
  SessionErrorCode lobbyError_ = SessionErrorCode::None;  // the error the lobby last showed
  Panel focusReturnsTo_ = Panel::None;                    // see ToolbarState::focusReturnsTo
};

}  // namespace vroom::ui
