// Chat panel: a scrolling log of wrapped messages over an input line that sends on Enter.
// The cap is enforced inside ImGui's edit callback so an over-long draft never exists.
#include "chat_panel.hpp"

#include <cstdio>

#include <imgui.h>

#include "semantics.hpp"
#include "theme.hpp"
#include "user_text.hpp"

namespace vroom::ui {
namespace {

constexpr std::size_t kMaxUtf8Bytes = 4;  // per code point

bool isContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// After any edit, drops the code points over the cap from just before the cursor: that is
// what was just typed or pasted, so the text already there is kept and the excess refused.
int capEdit(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag != ImGuiInputTextFlags_CallbackEdit) return 0;
  const std::size_t maxChars = *static_cast<const std::size_t*>(data->UserData);
  const std::string_view text(data->Buf, static_cast<std::size_t>(data->BufTextLen));
  const std::size_t count = protocol::codePointCount(text);
  if (count <= maxChars) return 0;
  std::size_t excess = count - maxChars;
  int end = data->CursorPos;
  int start = end;
  while (excess > 0 && start > 0) {
    --start;
    while (start > 0 && isContinuation(data->Buf[start])) --start;
    --excess;
  }
  if (end > start) data->DeleteChars(start, end - start);
  if (excess > 0) {
    // Only reachable if the cursor sat before the excess: cut the tail instead.
    const std::string kept = capCodePoints(std::string_view(data->Buf, data->BufTextLen), maxChars);
    data->DeleteChars(static_cast<int>(kept.size()),
                      data->BufTextLen - static_cast<int>(kept.size()));
  }
  return 0;
}

void drawEntry(const ChatEntry& entry, int utcOffsetMinutes) {
  const std::string header = chatHeader(entry, utcOffsetMinutes);
  ImGui::PushStyleColor(ImGuiCol_Text, entry.mine ? theme::kMineText : theme::kChatHeaderText);
  // A selectable header makes every message reachable with the keyboard (focus is drawn),
  // and activating it copies the text. A name that needs shaping is drawn over it as a run.
  bool copy = false;
  if (drawsAsRun(entry.name)) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    copy = ImGui::Selectable(("##" + labelSafe(header)).c_str());
    drawUserLine(ImGui::GetWindowDrawList(), at, ImGui::GetColorU32(ImGuiCol_Text), entry.name,
                 std::string_view(header).substr(entry.name.size()));
  } else {
    copy = ImGui::Selectable((labelSafe(header) + "##msg").c_str());
  }
  if (copy) ImGui::SetClipboardText(entry.text.c_str());
  semantics::annotateLast(semantics::Role::None);  // the mirror reads the whole message instead
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click to copy the message");
  userTextWrapped(entry.text);
  ImGui::Spacing();
}

}  // namespace

std::string formatClock(std::int64_t tsMs, int utcOffsetMinutes) {
  constexpr std::int64_t kMsPerMinute = 60'000;
  constexpr std::int64_t kMinutesPerDay = 24 * 60;
  std::int64_t minutes = tsMs / kMsPerMinute;
  if (tsMs % kMsPerMinute < 0) --minutes;  // floor, for times before 1970
  minutes += utcOffsetMinutes;
  const std::int64_t ofDay = ((minutes % kMinutesPerDay) + kMinutesPerDay) % kMinutesPerDay;
  char text[8];
  std::snprintf(text, sizeof(text), "%02d:%02d", static_cast<int>(ofDay / 60),
                static_cast<int>(ofDay % 60));
  return text;
}

std::string chatHeader(const ChatEntry& entry, int utcOffsetMinutes) {
  std::string header = entry.name.empty() ? std::string("Someone") : entry.name;
  if (entry.mine) header += " (you)";
  header += "  ";
  header += formatClock(entry.ts, utcOffsetMinutes);
  return header;
}

std::string trimChat(std::string_view text) {
  constexpr std::string_view kBlank = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kBlank);
  return std::string(text.substr(first, last - first + 1));
}

std::string capCodePoints(std::string_view text, std::size_t maxChars) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (isContinuation(text[i])) continue;
    if (count == maxChars) return std::string(text.substr(0, i));
    ++count;
  }
  return std::string(text);
}

std::string chatCounter(std::string_view draft, std::size_t maxChars) {
  return std::to_string(protocol::codePointCount(draft)) + "/" + std::to_string(maxChars);
}

bool canSendChat(std::string_view draft, std::size_t maxChars) {
  const std::string text = trimChat(draft);
  return !text.empty() && protocol::codePointCount(text) <= maxChars;
}

std::string labelSafe(std::string_view text) {
  std::string out(text);
  for (std::size_t at = out.find("##"); at != std::string::npos; at = out.find("##", at + 2))
    out.replace(at, 2, "# #");
  return out;
}

void drawChatPanel(const SessionSnapshot& s, ChatPanelState& state, RoomActions& actions,
                   std::size_t maxChars) {
  if (state.shownCount > s.chat.size()) state.shownCount = 0;  // another session's chat

  const float rowHeight = ImGui::GetFrameHeightWithSpacing();
  const float footer = rowHeight * 2.0f + (state.newBelow ? rowHeight : 0.0f);
  if (ImGui::BeginChild("##chat-log", ImVec2(0.0f, -footer))) {
    // Measured before drawing: did the person leave the log at its end last frame?
    const bool atBottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
    if (s.chat.empty()) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextDisabled("No messages yet. Messages go to everyone in the room.");
      ImGui::PopTextWrapPos();
    }
    semantics::beginWindowGroup("##log", semantics::Role::Log, "Chat messages");
    for (std::size_t i = 0; i < s.chat.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      const ImVec2 top = ImGui::GetCursorScreenPos();
      drawEntry(s.chat[i], state.utcOffsetMinutes);
      const ImVec2 bottom(top.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
      semantics::node("##entry", semantics::Role::Text,
                      chatHeader(s.chat[i], state.utcOffsetMinutes) + ": " + s.chat[i].text,
                      ImRect(top, bottom));
      ImGui::PopID();
    }
    semantics::endGroup();
    const bool arrived = s.chat.size() > state.shownCount;
    const bool mineArrived = arrived && s.chat.back().mine;
    if (state.jumpToNewest || (arrived && (atBottom || mineArrived || state.shownCount == 0))) {
      ImGui::SetScrollHereY(1.0f);
      state.newBelow = false;
      state.jumpToNewest = false;
    } else if (arrived) {
      state.newBelow = true;
    } else if (atBottom) {
      state.newBelow = false;
    }
    state.shownCount = s.chat.size();
  }
  ImGui::EndChild();

  if (state.newBelow && ImGui::SmallButton("New messages: show the newest"))
    state.jumpToNewest = true;

  if (state.focusInput) {
    // The panel may have been opened from the toolbar, which then holds the focus.
    ImGui::SetWindowFocus();
    ImGui::SetKeyboardFocusHere();
    state.focusInput = false;
  }
  // Sized for the cap in code points, so ImGui's byte limit never cuts text first.
  std::string buffer = capCodePoints(state.draft, maxChars);
  buffer.resize(maxChars * kMaxUtf8Bytes + 1, '\0');
  std::size_t cap = maxChars;
  ImGui::SetNextItemWidth(-1.0f);
  const bool entered = ImGui::InputTextWithHint(
      "##Message", "Message", buffer.data(), buffer.size(),
      ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackEdit, capEdit, &cap);
  state.draft.assign(buffer.c_str());
  semantics::annotateLast(semantics::Role::TextField, "Message", 0, state.draft);

  const std::size_t used = protocol::codePointCount(state.draft);
  const std::string counter = chatCounter(state.draft, maxChars);
  if (used >= maxChars)
    ImGui::TextColored(theme::kErrorText, "%s", counter.c_str());
  else if (used * 10 >= maxChars * 9)
    ImGui::TextColored(theme::kWarningText, "%s", counter.c_str());
  else
    ImGui::TextDisabled("%s", counter.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Characters used of the room's limit");
  semantics::textLast(
      "##counter", std::to_string(used) + " of " + std::to_string(maxChars) + " characters used");

  const bool sendable = canSendChat(state.draft, maxChars);
  const float sendWidth = ImGui::CalcTextSize("Send").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine(ImGui::GetContentRegionMax().x - sendWidth);
  ImGui::BeginDisabled(!sendable);
  const bool clicked = ImGui::Button("Send");
  ImGui::EndDisabled();

  if ((entered || clicked) && sendable) {
    actions.sendChat(trimChat(state.draft));
    state.draft.clear();
  }
  // Enter leaves ImGui's input; bring focus back so the person can keep typing.
  if (entered || clicked) state.focusInput = true;
}

}  // namespace vroom::ui
