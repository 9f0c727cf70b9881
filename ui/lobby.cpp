// Lobby window. Its validation is the session's (checkEntry: the protocol's room id and name
// rules, in the catalogue's sentences), so the server never has to reject a lobby submit.
#include "lobby.hpp"

#include <algorithm>
#include <cstring>

#include <imgui.h>

#include "protocol.hpp"
#include "semantics.hpp"
#include "session_errors.hpp"
#include "theme.hpp"

namespace vroom::ui {
namespace {

// ImGui edits fixed char buffers; this keeps a std::string in sync with one.
// `error`, when set, is why the value is refused (the mirror marks the field invalid).
bool inputText(const char* label, const char* hint, std::string& value, std::size_t maxBytes,
               ImGuiInputTextFlags flags = 0, const std::string& error = {}) {
  char buffer[256];
  const std::size_t cap = std::min(maxBytes + 1, sizeof(buffer));
  std::snprintf(buffer, cap, "%s", value.c_str());
  const bool submitted = ImGui::InputTextWithHint(label, hint, buffer, cap,
                                                  flags | ImGuiInputTextFlags_EnterReturnsTrue);
  value = buffer;
  // The mirror names the field by its hint without the example: "Room (e.g. ...)" -> "Room".
  const std::string_view name = std::string_view(hint).substr(0, std::string_view(hint).find(" ("));
  const bool password = (flags & ImGuiInputTextFlags_Password) != 0;
  semantics::annotateLast(password ? semantics::Role::Password : semantics::Role::TextField, name,
                          error.empty() ? 0 : semantics::kInvalid, value, error);
  return submitted;
}

// Devices of `kind` the browser lists, and of those the ones it names (a picker needs ids).
bool listed(DeviceKind kind, const std::vector<DeviceInfo>& devices, bool named) {
  return std::any_of(devices.begin(), devices.end(), [&](const DeviceInfo& d) {
    return d.kind == kind && (!named || !d.deviceId.empty());
  });
}

// A combo of the devices of one kind; returns true when the person picked another one.
bool deviceCombo(const char* label, DeviceKind kind, const std::vector<DeviceInfo>& devices,
                 std::string& selectedId) {
  std::vector<const DeviceInfo*> options;
  for (const DeviceInfo& d : devices)
    if (d.kind == kind && !d.deviceId.empty()) options.push_back(&d);
  if (options.empty()) return false;
  std::string current = "Default";
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i]->deviceId == selectedId)
      current = options[i]->label.empty() ? std::string(label) + " " + std::to_string(i + 1)
                                          : options[i]->label;
  }
  bool changed = false;
  ImGui::SetNextItemWidth(-90.0f);
  const ImGuiID comboId = ImGui::GetID(label);
  const bool open = ImGui::BeginCombo(label, current.c_str());
  semantics::annotateId(comboId, semantics::Role::ComboBox, label,
                        open ? semantics::kExpanded : semantics::kCollapsed, current);
  if (open) {
    semantics::beginWindowGroup("##options", semantics::Role::ListBox, label);
    for (std::size_t i = 0; i < options.size(); ++i) {
      const std::string name = options[i]->label.empty()
                                   ? std::string(label) + " " + std::to_string(i + 1)
                                   : options[i]->label;
      const bool selected = options[i]->deviceId == selectedId;
      if (ImGui::Selectable((name + "##" + options[i]->deviceId).c_str(), selected) && !selected) {
        selectedId = options[i]->deviceId;
        changed = true;
      }
      semantics::annotateLast(semantics::Role::Option, name, selected ? semantics::kChecked : 0);
    }
    semantics::endGroup();
    ImGui::EndCombo();
  }
  return changed;
}

// The password travels only over the socket: the field is asked for by the server's refusal,
// or opened by a first person (a conference's password) or a host (a broadcast id's host
// password). Returns true when Enter was pressed in it.
bool drawPassword(LobbyForm& form, const LobbyView& view) {
  const bool broadcast = form.mode == LobbyMode::Broadcast;
  if (broadcast && form.role == LobbyRole::Viewer) return false;  // watching needs none
  if (!view.passwordAsked) {
    ImGui::Checkbox(broadcast ? "Reserve this id with a host password" : "Set a password",
                    &form.setPassword);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(broadcast ? "Only people who know it can go live with this id."
                                  : "If you are the first in the room, others must type it.");
    if (!form.setPassword) {
      form.password.clear();
      return false;
    }
  }
  ImGui::SetNextItemWidth(-1.0f);
  if (view.focusPassword) ImGui::SetKeyboardFocusHere();
  const char* hint = view.passwordAsked ? (broadcast ? "Host password" : "Room password")
                                        : (broadcast ? "New host password" : "New room password");
  return inputText("##password", hint, form.password, 128, ImGuiInputTextFlags_Password);
}

}  // namespace

bool sendsMedia(const LobbyForm& form) {
  return !(form.mode == LobbyMode::Broadcast && form.role == LobbyRole::Viewer);
}

std::string validateLobby(const LobbyForm& form) {
  return checkEntry(protocol::trimBlanks(form.room), protocol::trimBlanks(form.name)).message;
}

LobbyAction drawLobby(LobbyForm& form, const LobbyView& view) {
  const ImGuiIO& io = ImGui::GetIO();
  const float width = std::min(420.0f, io.DisplaySize.x - 24.0f);
  if (view.top >= 0.0f) {
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, view.top), ImGuiCond_Always,
                            ImVec2(0.5f, 0.0f));
  } else {
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.45f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  }
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f), ImGuiCond_Always);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_AlwaysAutoResize;
  LobbyAction action = LobbyAction::None;
  if (!ImGui::Begin("Join a room###lobby", nullptr, flags)) {
    ImGui::End();
    return action;
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "Type a room and your name. Everyone in the same room sees and hears "
      "each other.");
  ImGui::PopTextWrapPos();
  semantics::textLast("##intro",
                      "Type a room and your name. Everyone in the same room sees and hears "
                      "each other.");
  ImGui::Spacing();

  ImGui::BeginDisabled(view.busy);
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  // Which field a refusal is about, for the mirror (only once something was typed in it).
  const SessionError check =
      checkEntry(protocol::trimBlanks(form.room), protocol::trimBlanks(form.name));
  const std::string& refusal = check.message;
  const bool roomRefused = !form.room.empty() && check.code == SessionErrorCode::InvalidRoomId;
  const bool nameRefused = !form.name.empty() && check.code == SessionErrorCode::InvalidName;
  bool submit =
      inputText("##room", "Room (e.g. team-standup)", form.room, protocol::kMaxRoomIdChars,
                ImGuiInputTextFlags_CharsNoBlank, roomRefused ? refusal : std::string());
  ImGui::SetNextItemWidth(-1.0f);
  submit |= inputText("##name", "Your name", form.name, protocol::kMaxNameChars * 4, 0,
                      nameRefused ? refusal : std::string());
  submit |= drawPassword(form, view);

  ImGui::Spacing();
  int mode = static_cast<int>(form.mode);
  const auto radio = [](const char* label, int* value, int own) {
    ImGui::RadioButton(label, value, own);
    semantics::annotateLast(semantics::Role::Radio, {}, *value == own ? semantics::kChecked : 0);
  };
  radio("Conference", &mode, 0);
  ImGui::SameLine();
  radio("Broadcast", &mode, 1);
  form.mode = static_cast<LobbyMode>(mode);
  if (form.mode == LobbyMode::Broadcast) {
    int role = static_cast<int>(form.role);
    radio("Host (go live)", &role, 0);
    ImGui::SameLine();
    radio("Viewer (watch)", &role, 1);
    form.role = static_cast<LobbyRole>(role);
  }
  ImGui::Checkbox("Audio only", &form.audioOnly);
  if (sendsMedia(form) &&
      deviceCombo("Microphone", DeviceKind::AudioInput, view.devices, form.audioInputId))
    action = LobbyAction::DeviceChanged;
  if (sendsMedia(form) && !form.audioOnly &&
      deviceCombo("Camera", DeviceKind::VideoInput, view.devices, form.videoInputId))
    action = LobbyAction::DeviceChanged;
  // Everyone hears the others, viewers included (listed only where the browser can choose).
  if (deviceCombo("Speaker", DeviceKind::AudioOutput, view.devices, form.audioOutputId))
    action = LobbyAction::DeviceChanged;
  ImGui::EndDisabled();

  const std::string problem = validateLobby(form);
  const std::string& shown = !view.errorMessage.empty() ? view.errorMessage : std::string();
  if (!shown.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kErrorText);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::PopTextWrapPos();
    semantics::textLast("##error", shown);
    ImGui::PopStyleColor();
  }
  if (!view.statusMessage.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", view.statusMessage.c_str());
    ImGui::PopTextWrapPos();
    semantics::textLast("##status", view.statusMessage);
  }

  ImGui::Spacing();
  if (view.waiting) {
    if (theme::primaryButton("Stop waiting", ImVec2(-1.0f, 0.0f)))
      action = LobbyAction::StopWaiting;
    if (view.measuredHeight) *view.measuredHeight = ImGui::GetWindowHeight();
    ImGui::End();
    return action;
  }
  const char* label =
      view.busy ? "Joining..."
                : (form.mode == LobbyMode::Broadcast && form.role == LobbyRole::Host ? "Go live"
                                                                                     : "Join");
  ImGui::BeginDisabled(view.busy || !problem.empty());
  if (theme::primaryButton(label, ImVec2(-1.0f, 0.0f)) || (submit && problem.empty()))
    action = LobbyAction::Join;
  ImGui::EndDisabled();
  if (!problem.empty() && !view.busy && (!form.room.empty() || !form.name.empty())) {
    ImGui::TextDisabled("%s", problem.c_str());
    semantics::textLast("##problem", problem);
  }

  if (view.measuredHeight) *view.measuredHeight = ImGui::GetWindowHeight();
  ImGui::End();
  if (view.busy && action == LobbyAction::Join) action = LobbyAction::None;
  return action;
}

float lobbyPendingPickersHeight(const LobbyForm& form, const std::vector<DeviceInfo>& devices) {
  // A kind is expected once the browser lists it, blank or not; before it lists anything, the
  // microphone and camera the form asks for are.
  const auto expected = [&](DeviceKind kind, bool asked) {
    return listed(kind, devices, false) || (devices.empty() && asked);
  };
  int rows = 0;
  const auto pending = [&](DeviceKind kind, bool shown, bool asked) {
    if (shown && expected(kind, asked) && !listed(kind, devices, true)) ++rows;
  };
  pending(DeviceKind::AudioInput, sendsMedia(form), true);
  pending(DeviceKind::VideoInput, sendsMedia(form) && !form.audioOnly, true);
  pending(DeviceKind::AudioOutput, true, false);
  return float(rows) * ImGui::GetFrameHeightWithSpacing();
}

}  // namespace vroom::ui
