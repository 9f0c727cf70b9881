// Whether a session change shows in the room's ImGui frame at all (the bars, the toast, a
// panel), or only on the tiles, which the page draws and the overlay arranges without a frame;
// and whether such a frame may wait while the call is being set up.
#pragma once

#include "room_view.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// For two in-room snapshots: true when a frame drawn for `after` would differ from one drawn
// for `before` while `open` is the side panel (People lists who speaks, People and Stats list
// everyone's connection and media).
bool roomDrawsDifference(const SessionSnapshot& before, const SessionSnapshot& after, Panel open);

// How long after entering a room its links may still count as being set up.
inline constexpr double kCallSetupMs = 2000;

// True while the page sets up its call: joining, or in the room for less than kCallSetupMs
// (`msInRoom`) with a link to someone still connecting. A frame that only shows that progress
// may then wait until the page is idle, so the socket and connection events the call waits for
// are handled first; input never waits. (Someone else joining is not counted: measured, it
// changed nothing.)
bool settingUpCall(const SessionSnapshot& s, double msInRoom);

}  // namespace vroom::ui
