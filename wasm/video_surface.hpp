// The video surface seam: where the browser places <video> elements and what it shows on each
// tile (name, marks, rings). The UI decides the layout and calls this; media stays an id on
// this side, and the page draws the decorations itself (text in any script, no canvas).
#pragma once

#include <string>

#include "rect.hpp"

namespace vroom {

// How a video is shown, besides where.
struct VideoLook {
  bool mirrored = false;  // the local camera, seen as in a mirror
  bool floating = false;  // over the other tiles: the picture-in-picture self-view
  // The tile showing it ("" for the lobby's preview): a tile whose stream changes keeps its
  // old picture until the new stream's first frame, never another tile's.
  std::string tile;
  bool operator==(const VideoLook&) const = default;
};

// Everything a tile shows besides its video.
struct TileLabel {
  std::string name;       // bottom-left pill ("Ada", "Ada (host)", "Ada (screen)")
  bool muted = false;     // microphone-off mark before the name
  bool speaking = false;  // a ring around the tile
  bool pinned = false;    // a ring of its own colour when not speaking
  bool floating = false;  // the picture-in-picture self-view: over the others, a compact pill
  std::string quality;    // "good" | "fair" | "poor": top-right badge; "" for none
  std::string notice;     // "Connecting...": dims the tile and says so; "" when connected
  std::string initials;   // the placeholder's letters when the tile has no video; "" otherwise
  bool operator==(const TileLabel&) const = default;
};

class VideoSurface {
 public:
  virtual ~VideoSurface() = default;
  // Shows (or moves) the stream in `rect`, in CSS pixels. A mirrored video is the local
  // camera, which the page may play from a reduced copy (the peers get the full one).
  virtual void show(const std::string& streamId, const Rect& rect, VideoLook look) = 0;
  virtual void hide(const std::string& streamId) = 0;
  // Shows (or updates) the decorations of tile `tileId` over `rect`, the tile's own rect.
  virtual void label(const std::string& tileId, const Rect& rect, const TileLabel& label) = 0;
  virtual void unlabel(const std::string& tileId) = 0;
  // A line of text at (x, y), bottom-left aligned ("+3 more"); "" removes it.
  virtual void caption(const std::string& text, float x, float y) = 0;
};

}  // namespace vroom
