// The toolbar's buttons, laid out in rows that wrap on narrow windows.
#include "toolbar.hpp"

#include <cfloat>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "semantics.hpp"
#include "theme.hpp"

namespace vroom::ui {
namespace {

// The shortcut as a tooltip. With the keyboard's focus on the button (no mouse over it) it
// shows above the button: ImGui's place for it, below and right, covers the next button.
void shortcutTooltip(const char* shortcut) {
  if (!ImGui::IsItemHovered()) return;
  if (GImGui->NavDisableMouseHover && GImGui->NavId == ImGui::GetItemID()) {
    const ImVec2 min = ImGui::GetItemRectMin();
    ImGui::SetNextWindowPos(ImVec2(min.x, min.y - 6.0f), ImGuiCond_Always, ImVec2(0.0f, 1.0f));
  }
  ImGui::SetTooltip("Shortcut: %s", shortcut);
}

// A toolbar button that reads as on/off: the "off" state is drawn in a warning colour.
bool toggleButton(const char* label, bool on, const char* shortcut) {
  if (!on) {
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kOffButton);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::kOffButtonHover);
  }
  const bool pressed = ImGui::Button(label);
  if (!on) ImGui::PopStyleColor(2);
  if (shortcut) shortcutTooltip(shortcut);
  if (shortcut)
    semantics::annotateLast(semantics::Role::Button, {}, 0, {},
                            std::string("Shortcut: ") + shortcut);
  return pressed;
}

// A plain button with its shortcut as a tooltip.
bool shortcutButton(const char* label, const char* shortcut) {
  const bool pressed = ImGui::Button(label);
  shortcutTooltip(shortcut);
  return pressed;
}

// A panel's button: a toggle in the semantics mirror, pressed while its panel is open.
// `takeFocus`: its panel just closed with the keyboard's focus in it; the focus comes back here.
bool panelButton(const char* label, const char* shortcut, bool open, bool takeFocus) {
  const bool pressed = shortcutButton(label, shortcut);
  if (takeFocus) {
    ImGui::FocusWindow(ImGui::GetCurrentWindow());
    ImGui::SetFocusID(ImGui::GetItemID(), ImGui::GetCurrentWindow());
    GImGui->NavDisableHighlight = false;
    GImGui->NavDisableMouseHover = true;
  }
  semantics::annotateLast(semantics::Role::Toggle, {}, open ? semantics::kPressed : 0, {},
                          std::string("Shortcut: ") + shortcut);
  return pressed;
}

// Flow layout: buttons wrap onto another row when the window is narrow (phones).
class FlowRow {
 public:
  explicit FlowRow(float maxWidth) : maxWidth_(maxWidth) {}
  // Call before each button: keeps it on this row if it fits, else starts a new one.
  void next(const char* label) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * style.FramePadding.x;
    if (used_ >= 0.0f && used_ + style.ItemSpacing.x + width <= maxWidth_) {
      ImGui::SameLine();
      used_ += style.ItemSpacing.x + width;
    } else {
      used_ = width;
    }
  }

 private:
  float maxWidth_;
  float used_ = -1.0f;  // width used on the current row; negative: nothing placed yet
};

// Microphone, camera and screen share: what the person sends (a viewer sends nothing).
// The microphone, camera and view buttons keep one ImGui id ("###...") whatever their label
// says, so keyboard and screen-reader focus stay on them when they flip.
void drawMediaButtons(const SessionSnapshot& s, RoomActions& actions, FlowRow& row) {
  const char* microphone = s.local.microphoneOn ? "Mute###microphone" : "Unmute###microphone";
  row.next(microphone);
  if (toggleButton(microphone, s.local.microphoneOn, "M"))
    actions.setMicrophone(!s.local.microphoneOn);
  if (!s.audioOnly) {
    const char* camera = s.local.cameraOn ? "Stop video###camera" : "Start video###camera";
    row.next(camera);
    if (toggleButton(camera, s.local.cameraOn, "V")) actions.setCamera(!s.local.cameraOn);
  }
  if (!s.audioOnly && s.mode == protocol::Mode::Conference) {
    row.next(s.local.sharing ? "Stop sharing" : "Share screen");
    if (s.local.sharing) {
      if (toggleButton("Stop sharing", false, nullptr)) actions.stopScreenShare();
    } else if (ImGui::Button("Share screen")) {
      actions.startScreenShare();
    }
  }
}

// Chat, People, Stats and grid/speaker view: what the person looks at.
ViewRequest drawViewButtons(const SessionSnapshot& s, const ToolbarState& state, FlowRow& row) {
  ViewRequest request = ViewRequest::None;
  const std::string chatLabel = state.unreadChat > 0
                                    ? "Chat (" + std::to_string(state.unreadChat) + ")###chat"
                                    : std::string("Chat###chat");
  row.next(chatLabel.c_str());
  const Panel back = state.focusReturnsTo;
  if (panelButton(chatLabel.c_str(), "C", state.panel == Panel::Chat, back == Panel::Chat))
    request = ViewRequest::ToggleChat;
  row.next("People");
  if (panelButton("People", "P", state.panel == Panel::People, back == Panel::People))
    request = ViewRequest::TogglePeople;
  row.next("Stats");
  if (panelButton("Stats", "S", state.panel == Panel::Stats, back == Panel::Stats))
    request = ViewRequest::ToggleStats;
  if (s.mode == protocol::Mode::Conference) {
    const char* view = state.speakerView ? "Grid view###view" : "Speaker view###view";
    row.next(view);
    if (shortcutButton(view, "G")) request = ViewRequest::ToggleSpeakerView;
  }
  return request;
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
    FlowRow row(io.DisplaySize.x - 16.0f - 2.0f * ImGui::GetStyle().WindowPadding.x);
    if (!viewer) drawMediaButtons(s, actions, row);
    request = drawViewButtons(s, state, row);
    row.next("Leave");
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
