// Layers follow the layout: the simulcast layer each remote member's video is wanted at, from
// the size its tile was given on screen (the large tile high, thumbnails low, no room: off).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "layout.hpp"
#include "protocol.hpp"
#include "tiles.hpp"

namespace vroom::ui {

// Tiles at least this tall (CSS px) are worth the high layer, at least kMediumHeight the medium.
inline constexpr float kHighHeight = 360;
inline constexpr float kMediumHeight = 180;

// One entry per remote member with a tile (its camera's or its screen's, whichever needs more);
// local tiles are not ours to ask for. `tiles` and `layout.tiles` are in the same order.
std::map<std::string, protocol::Layer> layersFor(const std::vector<TileInfo>& tiles,
                                                 const LayoutResult& layout);

}  // namespace vroom::ui
