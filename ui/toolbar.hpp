// The room's toolbar at the bottom: microphone, camera and screen share (through RoomActions),
// the panel buttons and grid/speaker view (as view requests), and Leave.
#pragma once

#include "room_actions.hpp"
#include "room_view.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

struct ToolbarState {
  int unreadChat = 0;                  // shown on the Chat button
  bool speakerView = false;            // the view button offers the other one
  Panel panel = Panel::None;           // the open panel: its button reads as pressed in the mirror
  Panel focusReturnsTo = Panel::None;  // closed with the focus in it: its button takes it
  float height = 72.0f;                // out: the height the layout leaves free below the tiles
};

// Draws the toolbar (inside an ImGui frame); returns the view change its buttons asked for.
ViewRequest drawToolbar(const SessionSnapshot& snapshot, RoomActions& actions, ToolbarState& state);

}  // namespace vroom::ui
