// The JS API's state (RoomState in www/vroom.d.ts) as JSON, section by section: the bridge
// hands the page only the sections a session change touched, and chat as its new entries,
// in one string instead of one embind call per field.
#pragma once

#include <string>

#include "session_snapshot.hpp"

namespace vroom {

// The sections of `after` that differ from `before` (every section when `before` is null):
//   {"revision": N,
//    "session": {state, reason, recovery, reconnectAttempt, room, mode, audioOnly, self,
//                locked, errorCode, error, noticeCode, notice, moderation},
//    "members": [...], "local": {...},
//    "chat": {"drop": K, "append": [...]}}   drop the K oldest entries, then append these.
// Field names and values are the JS API's contract (camelCase, enums as lower-case words).
std::string snapshotDelta(const SessionSnapshot* before, const SessionSnapshot& after);

}  // namespace vroom
