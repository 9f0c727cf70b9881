// frameText: one pass over the snapshot. Chat messages that will be drawn as shaped runs add
// no glyphs (their code points would only fill the atlas); names always do, since the People
// panel and chat headers draw them with glyphs (tile labels are the page's DOM text).
#include "frame_text.hpp"

#include <imgui_internal.h>  // ImTextCharToUtf8

#include "text_shaping.hpp"

namespace vroom::ui {

std::vector<std::string_view> frameText(const SessionSnapshot& s, const LobbyForm& form,
                                        const ChatPanelState& chat, std::string_view typed) {
  std::vector<std::string_view> out;
  out.reserve(9 + s.members.size() + s.local.devices.size() + 2 * s.chat.size());
  out.push_back(typed);
  out.push_back(chat.draft);
  out.push_back(form.name);
  out.push_back(form.room);
  out.push_back(s.self.name);
  for (const MemberSnapshot& m : s.members) out.push_back(m.name);
  out.push_back(s.room);
  out.push_back(s.error.message);
  out.push_back(s.notice.message);  // "Zoë asked you to mute."
  out.push_back(s.reason);
  for (const DeviceInfo& d : s.local.devices) out.push_back(d.label);
  for (auto it = s.chat.rbegin(); it != s.chat.rend(); ++it) {
    out.push_back(it->name);
    if (!needsShaping(it->text)) out.push_back(it->text);
  }
  return out;
}

std::string typedText(const ImGuiIO& io) {
  std::string out;
  for (const ImWchar c : io.InputQueueCharacters) {
    char utf8[5] = {};
    ImTextCharToUtf8(utf8, c);
    out += utf8;
  }
  return out;
}

}  // namespace vroom::ui
