// The strings the next overlay frame may draw that vroom did not write itself (its own labels
// are ASCII, in the glyph atlas's base set): what is being typed, names, the room, messages
// from the server, device labels, then chat, newest first. The order is the glyph atlas's
// priority when it is full. Views into the arguments: use them before those change.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "chat_panel.hpp"
#include "lobby.hpp"
#include "session_snapshot.hpp"

namespace vroom::ui {

// `typed`: characters queued for ImGui this frame (typedText).
std::vector<std::string_view> frameText(const SessionSnapshot& s, const LobbyForm& form,
                                        const ChatPanelState& chat, std::string_view typed);

// The characters waiting in ImGui's input queue, as UTF-8.
std::string typedText(const ImGuiIO& io);

}  // namespace vroom::ui
