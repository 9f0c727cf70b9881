// What a tile shows besides its video: the name (with "(host)"), the muted mark, the speaking
// and pinned rings, the quality badge, the connection notice and the placeholder's initials.
#pragma once

#include <string>

#include "layout.hpp"
#include "stats_history.hpp"
#include "tiles.hpp"
#include "video_surface.hpp"

namespace vroom::ui {

// The notice on a remote tile while its connection is not up; "" when connected.
const char* connectionText(LinkState state);

// The label of `tile`, placed as `placed`, while `pinnedId` is pinned; the quality badge comes
// from the peer's live statistics.
TileLabel labelOf(const TileInfo& tile, const PlacedTile& placed, const std::string& pinnedId,
                  const StatsHistory& stats);

}  // namespace vroom::ui
