// One switch from typed character to command; letters work in either case.
#include "shortcuts.hpp"

#include <imgui.h>

namespace vroom::ui {

std::vector<ViewRequest> handleShortcuts(const SessionSnapshot& s, RoomActions& actions) {
  std::vector<ViewRequest> requests;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return requests;
  const bool viewer = s.mode == protocol::Mode::Broadcast && s.self.role == protocol::Role::Viewer;
  for (const ImWchar c : io.InputQueueCharacters) {
    switch (c) {
      case 'm':
      case 'M':
        if (!viewer) actions.setMicrophone(!s.local.microphoneOn);
        break;
      case 'v':
      case 'V':
        if (!viewer && !s.audioOnly) actions.setCamera(!s.local.cameraOn);
        break;
      case 'g':
      case 'G':
        requests.push_back(ViewRequest::ToggleSpeakerView);
        break;
      case 'c':
      case 'C':
        requests.push_back(ViewRequest::ToggleChat);
        break;
      case 'p':
      case 'P':
        requests.push_back(ViewRequest::TogglePeople);
        break;
      case 's':
      case 'S':
        requests.push_back(ViewRequest::ToggleStats);
        break;
      case '?':
        requests.push_back(ViewRequest::ToggleHelp);
        break;
      default:
        break;
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    requests.push_back(ViewRequest::Back);
  return requests;
}

}  // namespace vroom::ui
