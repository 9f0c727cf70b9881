// One ImGui window for whichever panel is open (one id, "###panel", so switching keeps its place).
#include "side_panel.hpp"

#include <algorithm>

#include <imgui.h>
#include <imgui_internal.h>

#include "layout.hpp"
#include "people_panel.hpp"
#include "semantics.hpp"
#include "stats_panel.hpp"
#include "top_bar.hpp"

namespace vroom::ui {

void drawSidePanel(const SessionSnapshot& s, Panel& panel, float toolbarHeight,
                   SidePanelState state, RoomActions& actions) {
  if (panel == Panel::None) return;
  const ImGuiIO& io = ImGui::GetIO();
  // Beside the tiles on wide windows; over them, full width, on phones.
  const bool narrow = io.DisplaySize.x < kNarrowWidth;
  const float width = narrow ? io.DisplaySize.x - 16.0f : kPanelWidth - 8.0f;
  const float top = kTopBarHeight + 4.0f;
  const float height = std::max(120.0f, io.DisplaySize.y - top - toolbarHeight);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - width - 8.0f, top));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  const char* titles[] = {"", "Chat###panel", "People###panel", "Stats###panel"};
  bool open = true;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;
  if (ImGui::Begin(titles[static_cast<int>(panel)], &open, flags)) {
    // The title bar's close button has no label for the hooks to read.
    const char* names[] = {"", "Close chat", "Close people", "Close statistics"};
    semantics::annotateId(ImGui::GetCurrentWindow()->GetID("#CLOSE"), semantics::Role::Button,
                          names[static_cast<int>(panel)], 0);
    switch (panel) {
      case Panel::Chat:
        drawChatPanel(s, state.chat, actions);
        break;
      case Panel::People:
        drawPeoplePanel(s, &state.stats, &actions, &state.moderation);
        break;
      case Panel::Stats:
        drawStatsPanel(s, state.stats);
        break;
      case Panel::None:
        break;
    }
  }
  ImGui::End();
  if (!open) panel = Panel::None;
}

}  // namespace vroom::ui
