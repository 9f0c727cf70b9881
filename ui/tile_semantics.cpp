// Tile nodes for the semantics mirror, from the same tiles and layout the page's tiles use.
#include "tile_semantics.hpp"

#include "semantics.hpp"

namespace vroom::ui {

void describeTiles(const std::vector<TileInfo>& tiles, const LayoutResult& layout,
                   const std::string& pinned) {
  if (!semantics::active()) return;
  for (std::size_t i = 0; i < tiles.size() && i < layout.tiles.size(); ++i) {
    const PlacedTile& placed = layout.tiles[i];
    if (placed.hidden) continue;
    const TileInfo& tile = tiles[i];
    std::string name = "Video of " + tile.name;
    if (tile.host && !tile.local) name += ", host";
    if (!tile.micOn && !tile.screen) name += ", microphone off";
    if (tile.id == pinned) name += ", pinned";
    const Rect& r = placed.rect;
    semantics::node("tile:" + tile.id, semantics::Role::Tile, name,
                    ImRect(r.x, r.y, r.x + r.width, r.y + r.height));
  }
}

}  // namespace vroom::ui
