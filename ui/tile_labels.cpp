// Tile label rules, as plain data: the page draws the label, so any script renders.
#include "tile_labels.hpp"

namespace vroom::ui {

const char* connectionText(LinkState state) {
  switch (state) {
    case LinkState::Connecting:
      return "Connecting...";
    case LinkState::Reconnecting:
      return "Reconnecting...";
    case LinkState::Failed:
      return "Connection lost";
    case LinkState::Closed:
      return "Disconnected";
    case LinkState::Connected:
      return "";
  }
  return "";
}

TileLabel labelOf(const TileInfo& tile, const PlacedTile& placed, const std::string& pinnedId,
                  const StatsHistory& stats) {
  TileLabel label;
  label.name = tile.host && !tile.local ? tile.name + " (host)" : tile.name;
  label.muted = !tile.micOn && !tile.screen;
  label.speaking = tile.speaking;
  label.pinned = tile.id == pinnedId;
  label.floating = placed.floating;
  // Connection quality of remote peers, from their live statistics.
  const Quality quality = tile.local || tile.screen ? Quality::Unknown : stats.quality(tile.peerId);
  if (quality != Quality::Unknown) label.quality = std::string(toString(quality));
  // While a peer connection is not up, say so on the tile.
  if (!tile.local) label.notice = connectionText(tile.connection);
  if (tile.streamId.empty()) label.initials = tile.initials;
  return label;
}

}  // namespace vroom::ui
