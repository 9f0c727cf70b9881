// Which tiles a room shows, derived from the session snapshot: one per person (camera or a
// placeholder) plus one per screen share; broadcast viewers see only the host.
#pragma once

#include <string>
#include <vector>

#include "layout.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

struct TileInfo {
  std::string id;        // stable across frames: peer id, "self", or "<id>:screen"
  std::string peerId;    // whose tile (self id for local tiles)
  std::string streamId;  // empty: nothing to play (camera off, audio-only, not arrived)
  std::string name;      // as labelled: "Ada", "Ada (you)", "Ada (screen)"
  std::string initials;  // of the person's own name, for a tile without video
  bool local = false;
  bool screen = false;
  bool micOn = true;
  bool speaking = false;
  bool host = false;
  LinkState connection = LinkState::Connected;
  bool operator==(const TileInfo&) const = default;
};

std::vector<TileInfo> tilesFor(const SessionSnapshot& snapshot);

// Grid or Speaker as the person chose; Stage for broadcasts (the host fills the stage).
LayoutMode layoutModeFor(const SessionSnapshot& snapshot, bool speakerView);

// "Ada Lovelace" -> "AL", "ada" -> "A": shown on tiles without video.
std::string initialsOf(const std::string& name);

}  // namespace vroom::ui
