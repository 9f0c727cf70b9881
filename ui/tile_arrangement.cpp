// From snapshot to placed tiles: tilesFor, computeLayout, then show/label/caption calls for
// what changed since the last arrangement.
#include "tile_arrangement.hpp"

#include <algorithm>
#include <cmath>

#include "tile_labels.hpp"

namespace vroom::ui {
namespace {

// Whole pixels, edges rounded inward, so neighbouring tiles never overlap.
Rect snapped(const Rect& rect) {
  const float x0 = std::ceil(rect.x), y0 = std::ceil(rect.y);
  const float x1 = std::floor(rect.x + rect.width), y1 = std::floor(rect.y + rect.height);
  return Rect{x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

void TileArrangement::setVideoSize(const std::string& streamId, float width, float height) {
  if (width > 0 && height > 0) aspects_[streamId] = width / height;
}

float TileArrangement::aspectOf(const std::string& streamId) const {
  const auto it = aspects_.find(streamId);
  return it == aspects_.end() ? 16.0f / 9.0f : it->second;
}

void TileArrangement::arrangeRoom(const SessionSnapshot& s, float width, float height,
                                  const Insets& reserved, RoomView& view, const StatsHistory& stats,
                                  VideoSurface& surface) {
  tiles_ = tilesFor(s);
  // A screen share that starts takes the large slot; the person can switch back to the grid.
  const std::size_t screens = static_cast<std::size_t>(
      std::count_if(tiles_.begin(), tiles_.end(), [](const TileInfo& t) { return t.screen; }));
  if (screens > screensShown_ && s.mode == protocol::Mode::Conference) view.speakerView = true;
  screensShown_ = screens;
  // A pinned tile that left is forgotten.
  if (!view.pinned.empty() && std::none_of(tiles_.begin(), tiles_.end(),
                                           [&](const TileInfo& t) { return t.id == view.pinned; }))
    view.pinned.clear();
  LayoutInput in;
  in.width = width;
  in.height = height;
  in.reserved = reserved;
  in.floatSelfView = true;
  in.mode = layoutModeFor(s, view.speakerView);
  in.pinnedId = view.pinned;
  for (const TileInfo& t : tiles_) {
    if (t.speaking && !t.local && in.speakerId.empty()) in.speakerId = t.id;
    in.tiles.push_back(
        {t.id, t.streamId.empty() ? 16.0f / 9.0f : aspectOf(t.streamId), t.screen, t.local});
  }
  layout_ = computeLayout(in);
  placeVideos(surface);
  labelTiles(view.pinned, stats, surface);
}

void TileArrangement::arrangePreview(const std::string& stream, const Rect& rect,
                                     VideoSurface& surface) {
  static const StatsHistory kNoStats;
  tiles_.clear();
  layout_ = {};
  labelTiles({}, kNoStats, surface);
  placeVideos(surface, stream, rect);
}

std::string TileArrangement::tileAt(float x, float y) const {
  const int index = ui::tileAt(layout_, x, y);
  if (index < 0 || index >= static_cast<int>(tiles_.size())) return {};
  return tiles_[index].id;
}

void TileArrangement::placeVideos(VideoSurface& surface, const std::string& previewStream,
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
    show(tile.streamId, placed.rect, {tile.local && !tile.screen, placed.floating, tile.id});
  }
  for (const std::string& stream : shown_)
    if (!now.count(stream)) surface.hide(stream);
  shown_ = std::move(now);
}

void TileArrangement::labelTiles(const std::string& pinnedId, const StatsHistory& stats,
                                 VideoSurface& surface) {
  std::set<std::string> now;
  for (std::size_t i = 0; i < tiles_.size() && i < layout_.tiles.size(); ++i) {
    const PlacedTile& placed = layout_.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles_[i];
    surface.label(tile.id, snapped(placed.rect), labelOf(tile, placed, pinnedId, stats));
    now.insert(tile.id);
  }
  for (const std::string& id : labelled_)
    if (!now.count(id)) surface.unlabel(id);
  labelled_ = std::move(now);

  const bool more = layout_.hiddenCount > 0 && layout_.used != LayoutMode::Stage;
  if (more) {
    surface.caption("+" + std::to_string(layout_.hiddenCount) + " more", layout_.area.x + 4.0f,
                    layout_.area.y + layout_.area.height);
  } else if (captioned_) {
    surface.caption({}, 0, 0);
  }
  captioned_ = more;
}

}  // namespace vroom::ui
