// The top bar's words from the snapshot, then one line of them in a translucent bar.
#include "top_bar.hpp"

#include <imgui.h>

#include "semantics.hpp"
#include "theme.hpp"

namespace vroom::ui {
namespace {

std::string counted(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const ImVec4* colourOf(TopBarTone tone) {
  switch (tone) {
    case TopBarTone::Live:
      return &theme::kLiveText;
    case TopBarTone::Warning:
      return &theme::kWarningText;
    case TopBarTone::Positive:
      return &theme::kPositiveText;
    case TopBarTone::Plain:
    case TopBarTone::Quiet:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

std::vector<TopBarItem> topBarItems(const SessionSnapshot& s) {
  std::vector<TopBarItem> items;
  const bool broadcast = s.mode == protocol::Mode::Broadcast;
  if (broadcast && s.self.role == protocol::Role::Host) {
    std::size_t viewers = 0;
    for (const auto& m : s.members) viewers += m.role == protocol::Role::Viewer;
    items.push_back({"LIVE", TopBarTone::Live});
    items.push_back({s.room + "  |  " + counted(viewers, "viewer", "viewers")});
  } else if (broadcast) {
    items.push_back({s.room + "  |  watching"});
  } else {
    items.push_back({s.room + "  |  " + counted(s.members.size() + 1, "person", "people")});
  }
  if (s.audioOnly) items.push_back({"(audio only)", TopBarTone::Quiet});
  if (s.locked) items.push_back({"Locked: nobody new can join", TopBarTone::Warning});
  if (s.local.sharing)
    items.push_back({"You are sharing your screen", TopBarTone::Positive, /*stopSharing=*/true});
  if (s.state == SessionState::Reconnecting || s.recovery != Recovery::None) {
    items.push_back({s.state == SessionState::Reconnecting ? "Reconnecting to the server..."
                     : s.recovery == Recovery::IceRestart  ? "Restoring a connection..."
                                                           : "Rejoining...",
                     TopBarTone::Warning});
  }
  return items;
}

void drawTopBar(const SessionSnapshot& s, RoomActions& actions) {
  ImGui::SetNextWindowPos(ImVec2(8.0f, 6.0f));
  ImGui::SetNextWindowBgAlpha(theme::kTopBarAlpha);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12.0f, 6.0f));
  if (ImGui::Begin("##topbar", nullptr, theme::kBarFlags)) {
    bool first = true;
    int index = 0;
    for (const TopBarItem& item : topBarItems(s)) {
      if (!first) ImGui::SameLine();
      first = false;
      if (item.tone == TopBarTone::Quiet) {
        ImGui::TextDisabled("%s", item.text.c_str());
      } else if (const ImVec4* colour = colourOf(item.tone)) {
        ImGui::TextColored(*colour, "%s", item.text.c_str());
      } else {
        ImGui::TextUnformatted(item.text.c_str());
      }
      // Read as words: "team, 3 people", not "team vertical bar 3 people".
      std::string spoken = item.text;
      if (const auto bar = spoken.find("  |  "); bar != std::string::npos)
        spoken.replace(bar, 5, ", ");
      semantics::textLast("##topbar" + std::to_string(index++), spoken);
      if (item.stopSharing) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Stop sharing##topbar")) actions.stopScreenShare();
      }
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace vroom::ui
