// The people side panel: you first, then everyone else in join order, each with role,
// microphone/camera state in words, connection and link quality; a broadcast host also
// sees how many viewers are watching.
#pragma once

#include <string>
#include <vector>

#include "moderation_controls.hpp"
#include "session_snapshot.hpp"
#include "stats_history.hpp"

namespace vroom::ui {

struct PersonRow {
  std::string id;
  std::string name;        // "Ada (you)" for yourself
  std::string role;        // "Host" | "Viewer" | "Member"
  std::string media;       // "mic on, camera off", "muted, sharing screen", "watching", ...
  std::string connection;  // LinkState toString for peers ("connected", "reconnecting", ...)
  bool self = false;
  bool moderator = false;  // "moderator" among the details
  bool speaking = false;
  Quality quality = Quality::Unknown;  // Unknown for yourself or without stats

  // Two lines: the name, then role, media, connection, "speaking" and quality in words.
  std::string text() const;
};

// Rows for the panel: self first, then members in join order. `stats` may be null.
std::vector<PersonRow> peopleRows(const SessionSnapshot& s, const StatsHistory* stats);
// "3 people", "Live: 12 viewers" (broadcast host), "Watching the broadcast" (viewer).
std::string audienceLine(const SessionSnapshot& s);

// Draws the panel's contents into the current window (the caller owns Begin/End). With
// `actions` and `moderation`, a moderator also gets the room's and each person's controls
// (ui/moderation_controls.hpp).
void drawPeoplePanel(const SessionSnapshot& s, const StatsHistory* stats,
                     RoomActions* actions = nullptr, ModerationState* moderation = nullptr);

}  // namespace vroom::ui
