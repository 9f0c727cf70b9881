// The moderator's controls in the people panel: per person "Ask to mute" and "Remove" (a
// confirmation that can also keep them out for the room's lifetime), and for the room "Lock
// room" / "Unlock room" and "End meeting" / "End broadcast" (confirmed). Moderators only.
#pragma once

#include <string>

#include "room_actions.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// What the confirmations are about, kept by the overlay between frames.
struct ModerationState {
  std::string removing;  // peer id whose removal is being confirmed; empty: none
  std::string removingName;
  bool ending = false;  // "End for everyone?" is open
};

// The room's line of buttons, above the list of people. Draws nothing for non-moderators.
void drawRoomModeration(const SessionSnapshot& s, RoomActions& actions, ModerationState& state);
// The buttons under one person's row (never under your own). Nothing for non-moderators.
// "Ask to mute" acts at once (nothing to undo: only the person can unmute); "Remove" asks.
void drawPersonModeration(const SessionSnapshot& s, const MemberSnapshot& member,
                          RoomActions& actions, ModerationState& state);
// The confirmation windows; call once per frame after the panel's contents.
void drawModerationConfirmations(RoomActions& actions, ModerationState& state);

}  // namespace vroom::ui
