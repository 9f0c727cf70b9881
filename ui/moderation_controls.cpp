// Moderation buttons and their confirmation popups (ImGui modals), acting only through
// RoomActions so the headless UI tests record exactly what was asked.
#include "moderation_controls.hpp"

#include <imgui.h>

#include "theme.hpp"

namespace vroom::ui {

namespace {

constexpr const char* kRemovePopup = "Remove from the room?###remove-confirm";
constexpr const char* kEndPopup = "End for everyone?###end-confirm";

bool isBroadcast(const SessionSnapshot& s) {
  return s.mode == protocol::Mode::Broadcast;
}

}  // namespace

void drawRoomModeration(const SessionSnapshot& s, RoomActions& actions, ModerationState& state) {
  if (!s.self.moderator) return;
  ImGui::TextDisabled("You moderate this room");
  if (ImGui::SmallButton(s.locked ? "Unlock room" : "Lock room")) actions.setRoomLocked(!s.locked);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(s.locked ? "Let new people join again."
                               : "Nobody new can join; people already here stay.");
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, theme::kEndRoomButton);
  if (ImGui::SmallButton(isBroadcast(s) ? "End broadcast" : "End meeting")) state.ending = true;
  ImGui::PopStyleColor();
  ImGui::Separator();
}

void drawPersonModeration(const SessionSnapshot& s, const MemberSnapshot& member,
                          RoomActions& actions, ModerationState& state) {
  if (!s.self.moderator) return;
  ImGui::PushID(member.id.c_str());
  ImGui::Indent();
  if (member.role != protocol::Role::Viewer) {
    ImGui::BeginDisabled(!member.media.audio);  // muted already: nothing to ask
    if (ImGui::SmallButton(member.media.audio ? "Ask to mute" : "Muted"))
      actions.requestMute(member.id);
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  if (ImGui::SmallButton("Remove")) {
    state.removing = member.id;
    state.removingName = member.name;
  }
  ImGui::Unindent();
  ImGui::PopID();
}

void drawModerationConfirmations(RoomActions& actions, ModerationState& state) {
  if (!state.removing.empty() && !ImGui::IsPopupOpen(kRemovePopup)) ImGui::OpenPopup(kRemovePopup);
  if (state.ending && !ImGui::IsPopupOpen(kEndPopup)) ImGui::OpenPopup(kEndPopup);

  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings;
  const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal(kRemovePopup, nullptr, flags)) {
    ImGui::Text("Remove %s from the room?", state.removingName.c_str());
    ImGui::TextDisabled("They can join again, unless you keep them out.");
    bool done = false;
    if (theme::primaryButton("Remove", ImVec2(0, 0))) {
      actions.removePeer(state.removing, false);
      done = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Remove and keep out")) {
      actions.removePeer(state.removing, true);
      done = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
      done = true;
    if (done) {
      state.removing.clear();
      state.removingName.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal(kEndPopup, nullptr, flags)) {
    ImGui::TextUnformatted("Everyone will be out of the room, you included.");
    bool done = false;
    if (theme::primaryButton("End for everyone", ImVec2(0, 0))) {
      actions.endRoom();
      done = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel##end") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
      done = true;
    if (done) {
      state.ending = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace vroom::ui
