// The toolbar's buttons, laid out in rows that wrap on narrow windows.
#include "toolbar.hpp"

#include <cfloat>
#include <string>

#include <imgui.h>

#include "theme.hpp"

namespace vroom::ui {
namespace {

// A toolbar button that reads as on/off: the "off" state is drawn in a warning colour.
bool toggleButton(const char* label, bool on, const char* shortcut) {
  if (!on) {
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kOffButton);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::kOffButtonHover);
  }
  const bool pressed = ImGui::Button(label);
  if (!on) ImGui::PopStyleColor(2);
  if (shortcut && ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: %s", shortcut);
  return pressed;
}

// A plain button with its shortcut as a tooltip.
bool shortcutButton(const char* label, const char* shortcut) {
  const bool pressed = ImGui::Button(label);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shortcut: %s", shortcut);
  return pressed;
}

}  // namespace

ViewRequest drawToolbar(const SessionSnapshot& s, RoomActions& actions, ToolbarState& state) {
  ViewRequest request = ViewRequest::None;
  const ImGuiIO& io = ImGui::GetIO();
  const bool viewer = s.mode == protocol::Mode::Broadcast && s.self.role == protocol::Role::Viewer;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y - 12.0f),
                          ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowBgAlpha(theme::kToolbarAlpha);
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(io.DisplaySize.x - 16.0f, FLT_MAX));
  if (ImGui::Begin("##toolbar", nullptr, theme::kBarFlags)) {
    // Flow layout: buttons wrap onto another row when the window is narrow (phones).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float maxRow = io.DisplaySize.x - 16.0f - 2.0f * style.WindowPadding.x;
    float row = -1.0f;  // width used on the current row; negative: nothing placed yet
    auto next = [&](const char* label) {
      const float width = ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * style.FramePadding.x;
      if (row >= 0.0f && row + style.ItemSpacing.x + width <= maxRow) {
        ImGui::SameLine();
        row += style.ItemSpacing.x + width;
      } else {
        row = width;
      }
    };
    if (!viewer) {
      next(s.local.micOn ? "Mute" : "Unmute");
      if (toggleButton(s.local.micOn ? "Mute" : "Unmute", s.local.micOn, "M"))
        actions.setMicrophone(!s.local.micOn);
      if (!s.audioOnly) {
        next(s.local.camOn ? "Stop video" : "Start video");
        if (toggleButton(s.local.camOn ? "Stop video" : "Start video", s.local.camOn, "V"))
          actions.setCamera(!s.local.camOn);
      }
      if (!s.audioOnly && s.mode == protocol::Mode::Conference) {
        next(s.local.sharing ? "Stop sharing" : "Share screen");
        if (s.local.sharing) {
          if (toggleButton("Stop sharing", false, nullptr)) actions.stopScreenShare();
        } else if (ImGui::Button("Share screen")) {
          actions.startScreenShare();
        }
      }
    }
    const std::string chatLabel = state.unreadChat > 0
                                      ? "Chat (" + std::to_string(state.unreadChat) + ")###chat"
                                      : std::string("Chat###chat");
    next(chatLabel.c_str());
    if (shortcutButton(chatLabel.c_str(), "C")) request = ViewRequest::ToggleChat;
    next("People");
    if (shortcutButton("People", "P")) request = ViewRequest::TogglePeople;
    next("Stats");
    if (shortcutButton("Stats", "S")) request = ViewRequest::ToggleStats;
    if (s.mode == protocol::Mode::Conference) {
      const char* view = state.speakerView ? "Grid view" : "Speaker view";
      next(view);
      if (shortcutButton(view, "G")) request = ViewRequest::ToggleSpeakerView;
    }
    next("Leave");
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kDangerButton);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::kDangerButtonHover);
    if (ImGui::Button("Leave")) actions.leave();
    ImGui::PopStyleColor(2);
    state.height = ImGui::GetWindowHeight() + 20.0f;
  }
  ImGui::End();
  return request;
}

}  // namespace vroom::ui
