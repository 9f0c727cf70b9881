// Whether a session change shows in the room's ImGui frame at all (the bars, the toast, a
// panel), or only on the tiles, which the page draws and the overlay arranges without a frame.
#pragma once

#include "room_view.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// For two in-room snapshots: true when a frame drawn for `after` would differ from one drawn
// for `before` while `open` is the side panel (People lists who speaks, People and Stats list
// everyone's connection and media).
bool roomDrawsDifference(const SessionSnapshot& before, const SessionSnapshot& after, Panel open);

}  // namespace vroom::ui
