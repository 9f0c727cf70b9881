// The side panel window of a room: Chat, People or Stats, beside the tiles on wide windows and
// over them, full width, on phones; its close button closes it.
#pragma once

#include "chat_panel.hpp"
#include "moderation_controls.hpp"
#include "room_actions.hpp"
#include "room_view.hpp"
#include "session_snapshot.hpp"
#include "stats_history.hpp"

namespace vroom::ui {

// The width the layout leaves free for the panel on wide windows, in CSS px.
inline constexpr float kPanelWidth = 340.0f;

// What the panels keep between frames.
struct SidePanelState {
  ChatPanelState& chat;
  StatsHistory& stats;
  ModerationState& moderation;
};

// Draws `panel` (nothing for Panel::None) between the top bar and a toolbar `toolbarHeight`
// high (inside an ImGui frame); sets `panel` to None when the person closes it.
void drawSidePanel(const SessionSnapshot& snapshot, Panel& panel, float toolbarHeight,
                   SidePanelState state, RoomActions& actions);

}  // namespace vroom::ui
