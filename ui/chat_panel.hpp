// The chat side panel: messages with names and times, wrapped, kept scrolled to the newest,
// and an input capped at the server's limit in code points, with a visible counter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol.hpp"
#include "room_actions.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

struct ChatPanelState {
  std::string draft;
  bool focusInput = false;  // moves keyboard focus into the input on the next frame
  // Minutes to add to UTC for message times (JS: -new Date().getTimezoneOffset()); 0 = UTC.
  int utcOffsetMinutes = 0;
  // Kept by drawChatPanel between frames.
  std::size_t shownCount = 0;  // entries drawn last frame, to notice new ones
  bool newBelow = false;       // new messages arrived while the person was scrolled up
  bool jumpToNewest = false;
};

// Draws the panel's contents into the current window (the caller owns Begin/End).
void drawChatPanel(const SessionSnapshot& s, ChatPanelState& state, RoomActions& actions,
                   std::size_t maxChars = protocol::kMaxChatChars);

// Pure helpers the panel is built from.

// "HH:MM" of a server timestamp (ms since the Unix epoch) shifted by `utcOffsetMinutes`.
std::string formatClock(std::int64_t tsMs, int utcOffsetMinutes = 0);
// The line above a message: "Ada  14:05", or "Ada (you)  14:05" for your own.
std::string chatHeader(const ChatEntry& entry, int utcOffsetMinutes = 0);
// Without leading and trailing spaces, tabs and line breaks.
std::string trimChat(std::string_view text);
// At most `maxChars` code points of `text`, never cutting a UTF-8 sequence.
std::string capCodePoints(std::string_view text, std::size_t maxChars);
// "123/1000": code points typed / the limit.
std::string chatCounter(std::string_view draft, std::size_t maxChars);
// Whether Enter would send: something left after trimming, within the limit.
bool canSendChat(std::string_view draft, std::size_t maxChars);
// `text` usable as an ImGui label: "##" would otherwise start the hidden id part.
std::string labelSafe(std::string_view text);

}  // namespace vroom::ui
