// The video tiles in the semantics mirror: one toggle per shown tile, named by whose it is and
// whether their microphone is off, pressed while pinned, placed where the tile is (the DOM
// labels over the videos are decoration for sighted people; this is what a screen reader reads).
#pragma once

#include <cstdint>
#include <vector>

#include "layout.hpp"
#include "tiles.hpp"

namespace vroom::ui {

// Adds the nodes to the active semantics recorder (none: does nothing). Inside a frame.
void describeTiles(const std::vector<TileInfo>& tiles, const LayoutResult& layout,
                   const std::string& pinned);

// The mirror's node id of tile `tileId` (the same in every frame and id stack).
std::uint32_t tileNodeId(const std::string& tileId);

}  // namespace vroom::ui
