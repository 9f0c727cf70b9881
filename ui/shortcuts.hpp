// The room's keyboard shortcuts: M microphone, V camera (through RoomActions); C chat,
// P people, S stats, G grid/speaker view, Esc back (as view requests). Silent while a text
// field has the keyboard or a modifier is held, so typing and browser shortcuts pass.
#pragma once

#include <vector>

#include "room_actions.hpp"
#include "room_view.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// Reads this frame's typed characters and Esc (inside an ImGui frame); returns the view
// changes asked for, in the order typed.
std::vector<ViewRequest> handleShortcuts(const SessionSnapshot& snapshot, RoomActions& actions);

}  // namespace vroom::ui
