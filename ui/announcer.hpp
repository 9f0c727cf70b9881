// What a screen reader should hear about a room as it changes: joins, leaves, others' mute
// changes, new chat (with the sender), errors and connection problems, as short sentences
// for a polite live region. A busy chat is summarised rather than read message by message.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "session_snapshot.hpp"

namespace vroom::ui {

class Announcer {
 public:
  // At most this many chat messages are read one by one per window; past that, one summary
  // sentence, then silence until the window ends (what arrived meanwhile is said after it).
  static constexpr int kChatPerWindow = 3;
  static constexpr double kChatWindowMs = 10000.0;

  // The sentences for the change from `before` (null: the first snapshot) to `after`.
  std::vector<std::string> update(const SessionSnapshot* before, const SessionSnapshot& after,
                                  double nowMs);

 private:
  void chat(const SessionSnapshot* before, const SessionSnapshot& after, double nowMs,
            std::vector<std::string>& out);
  double windowStartMs_ = -1e18;
  int readInWindow_ = 0;
  bool summarisedInWindow_ = false;
  std::vector<ChatEntry> held_;  // arrived after the window's summary: said in the next one
};

}  // namespace vroom::ui
