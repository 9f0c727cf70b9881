// layersFor: each placed remote tile's height (or being the large tile) picks its member's layer;
// a member's tiles that all got no room pause its video.
#include "tile_layers.hpp"

#include <algorithm>

namespace vroom::ui {

namespace {

protocol::Layer layerOf(const PlacedTile& placed) {
  if (placed.hidden || placed.rect.empty()) return protocol::Layer::Off;
  if (placed.large || placed.rect.height >= kHighHeight) return protocol::Layer::High;
  if (placed.rect.height >= kMediumHeight) return protocol::Layer::Medium;
  return protocol::Layer::Low;
}

}  // namespace

std::map<std::string, protocol::Layer> layersFor(const std::vector<TileInfo>& tiles,
                                                 const LayoutResult& layout) {
  std::map<std::string, protocol::Layer> out;
  const std::size_t n = std::min(tiles.size(), layout.tiles.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (tiles[i].local || tiles[i].peerId.empty()) continue;
    const protocol::Layer layer = layerOf(layout.tiles[i]);
    auto [it, added] = out.emplace(tiles[i].peerId, layer);
    if (!added) it->second = protocol::moreOf(it->second, layer);
  }
  return out;
}

}  // namespace vroom::ui
