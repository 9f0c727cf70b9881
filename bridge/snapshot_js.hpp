// SessionSnapshot -> the plain JS object the page sees as room.getState() and in `state`
// events (and mirrors into its status region).
#pragma once

#include <emscripten/val.h>

#include "session_snapshot.hpp"

namespace vroom::bridge {

emscripten::val snapshotToJs(const SessionSnapshot& snapshot);
emscripten::val statsToJs(const PeerStats& stats);

}  // namespace vroom::bridge
