// The room's top bar: the room name with how many are in it, and what the person should know
// about the room right now (live, audio only, locked, sharing, reconnecting).
#pragma once

#include <string>
#include <vector>

#include "room_actions.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// The height the layout leaves free for the top bar, in CSS px.
inline constexpr float kTopBarHeight = 44.0f;

enum class TopBarTone { Plain, Quiet, Live, Warning, Positive };

struct TopBarItem {
  std::string text;
  TopBarTone tone = TopBarTone::Plain;
  bool stopSharing = false;  // followed by the "Stop sharing" button
  bool operator==(const TopBarItem&) const = default;
};

// What the top bar says, left to right.
std::vector<TopBarItem> topBarItems(const SessionSnapshot& snapshot);

// Draws the bar (inside an ImGui frame); its "Stop sharing" button stops the screen share.
void drawTopBar(const SessionSnapshot& snapshot, RoomActions& actions);

}  // namespace vroom::ui
