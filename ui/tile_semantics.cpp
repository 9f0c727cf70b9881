// Tile nodes for the semantics mirror, from the same tiles and layout the page's tiles use.
#include "tile_semantics.hpp"

#include <cmath>

#include "semantics.hpp"

namespace vroom::ui {

std::uint32_t tileNodeId(const std::string& tileId) {
  return ImHashStr(("tile:" + tileId).c_str());
}

void describeTiles(const std::vector<TileInfo>& tiles, const LayoutResult& layout,
                   const std::string& pinned) {
  semantics::Recorder* recorder = semantics::active();
  if (!recorder) return;
  for (std::size_t i = 0; i < tiles.size() && i < layout.tiles.size(); ++i) {
    const PlacedTile& placed = layout.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles[i];
    semantics::Node n;
    n.id = tileNodeId(tile.id);
    n.role = semantics::Role::Tile;
    n.name = "Video of " + tile.name;
    if (tile.host && !tile.local) n.name += ", host";
    if (!tile.micOn && !tile.screen) n.name += ", microphone off";
    // Pinned is the toggle's pressed state; pressing it pins or unpins, as a click on the tile.
    if (tile.id == pinned) n.state = semantics::kPressed;
    n.description = tile.id == pinned ? "Pinned. Press to unpin" : "Press to pin";
    const Rect& r = placed.rect;
    n.x = std::round(r.x);
    n.y = std::round(r.y);
    n.w = std::round(r.x + r.width) - n.x;
    n.h = std::round(r.y + r.height) - n.y;
    recorder->addNode(std::move(n));
  }
}

}  // namespace vroom::ui
