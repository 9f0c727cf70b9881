// The messages under the top bar, each until dismissed: the session's error (red, "Dismiss")
// and, below it, a neutral notice such as a moderator's mute request (blue, "OK").
#pragma once

#include "room_actions.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// Draws the error toast and the notice the snapshot holds, if any (inside an ImGui frame).
void drawToasts(const SessionSnapshot& snapshot, RoomActions& actions);

}  // namespace vroom::ui
