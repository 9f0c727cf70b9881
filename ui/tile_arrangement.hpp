// Puts a room's tiles on the page through VideoSurface: the tiles a snapshot implies, laid out
// by the pure layout functions, each video and label at its rect in whole pixels, "+N more"
// for tiles that got no room, and which tile a click lands on. Remembers what it placed so
// whatever is no longer shown is removed.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "layout.hpp"
#include "room_view.hpp"
#include "session_snapshot.hpp"
#include "stats_history.hpp"
#include "tiles.hpp"
#include "video_surface.hpp"

namespace vroom::ui {

class TileArrangement {
 public:
  // The natural size of a stream, reported by the browser when its video starts; tiles then
  // keep the stream's real aspect ratio (16:9 until then).
  void setVideoSize(const std::string& streamId, float width, float height);
  float aspectOf(const std::string& streamId) const;

  // Lays out and places the room's tiles in a width x height window less `reserved`. A new
  // screen share switches `view` to speaker view (once); a pinned tile that left is unpinned.
  void arrangeRoom(const SessionSnapshot& snapshot, float width, float height,
                   const Insets& reserved, RoomView& view, const StatsHistory& stats,
                   VideoSurface& surface);
  // No tiles (the lobby): only the camera preview `stream` at `rect`, mirrored, if any.
  void arrangePreview(const std::string& stream, const Rect& rect, VideoSurface& surface);

  // The id of the tile at (x, y), "" if none.
  std::string tileAt(float x, float y) const;

  const std::vector<TileInfo>& tiles() const { return tiles_; }
  const LayoutResult& layout() const { return layout_; }

 private:
  void placeVideos(VideoSurface& surface, const std::string& previewStream = {},
                   const Rect& previewRect = {});
  void labelTiles(const std::string& pinnedId, const StatsHistory& stats, VideoSurface& surface);

  std::unordered_map<std::string, float> aspects_;
  std::vector<TileInfo> tiles_;
  LayoutResult layout_;
  std::set<std::string> shown_;     // streams placed last time
  std::set<std::string> labelled_;  // tiles labelled last time
  bool captioned_ = false;
  std::size_t screensShown_ = 0;  // a new screen share switches to speaker view once
};

}  // namespace vroom::ui
