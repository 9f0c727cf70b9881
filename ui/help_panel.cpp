// The help panel's window and its one table of shortcuts (Overlay::handleShortcuts acts on
// the same keys).
#include "help_panel.hpp"

#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "semantics.hpp"

namespace vroom::ui {

const std::vector<std::pair<std::string_view, std::string_view>>& keyboardShortcuts() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kKeys = {
      {"M", "Mute or unmute the microphone"},
      {"V", "Stop or start the camera"},
      {"C", "Open or close the chat"},
      {"P", "Open or close the people list"},
      {"S", "Open or close the statistics"},
      {"G", "Switch between grid and speaker view"},
      {"?", "Show or hide this help"},
      {"Tab, Shift+Tab", "Move between controls"},
      {"Enter, Space", "Press the focused control"},
      {"Arrow keys", "Move within a panel or a list"},
      {"Enter on a video", "Pin or unpin it (the videos come after the toolbar and panel)"},
      {"Escape", "Close the panel, unpin a tile, or leave a text field"},
  };
  return kKeys;
}

void drawHelpPanel(bool* open) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.45f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_AlwaysAutoResize;
  if (ImGui::Begin("Keyboard shortcuts###help", open, flags)) {
    // Over everything else, even a panel that has the keyboard focus (focus raises a window).
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    if (ImGui::BeginTable("##keys", 2)) {
      for (const auto& [key, action] : keyboardShortcuts()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(key.data(), key.data() + key.size());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(action.data(), action.data() + action.size());
        const std::string line = std::string(key) + ": " + std::string(action);
        semantics::node(line, semantics::Role::Text, line,
                        ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()));
      }
      ImGui::EndTable();
    }
    if (ImGui::Button("Close##help")) *open = false;
  }
  ImGui::End();
}

}  // namespace vroom::ui
