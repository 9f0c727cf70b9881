// vroom's ImGui style: dark translucent panels that sit over live video without hiding it.
#include "theme.hpp"

namespace vroom::ui::theme {

void apply(float scale, bool moreContrast) {
  ImGuiStyle& style = ImGui::GetStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 10.0f;
  style.ChildRounding = 8.0f;
  style.FrameRounding = 6.0f;
  style.PopupRounding = 8.0f;
  style.GrabRounding = 6.0f;
  style.ScrollbarRounding = 8.0f;
  style.WindowPadding = ImVec2(16.0f, 14.0f);
  style.FramePadding = ImVec2(10.0f, 7.0f);
  style.ItemSpacing = ImVec2(10.0f, 8.0f);
  style.WindowBorderSize = 0.0f;
  style.WindowTitleAlign = ImVec2(0.5f, 0.5f);

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.13f, 0.94f);
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.11f, 0.12f, 0.15f, 0.98f);
  c[ImGuiCol_TitleBg] = ImVec4(0.09f, 0.10f, 0.13f, 0.94f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.12f, 0.13f, 0.17f, 0.96f);
  c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.23f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.30f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.27f, 0.34f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.22f, 0.28f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.27f, 0.29f, 0.36f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.31f, 0.33f, 0.41f, 1.0f);
  c[ImGuiCol_CheckMark] = kMineText;
  c[ImGuiCol_SliderGrab] = kAccent;
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.22f, 0.28f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.27f, 0.29f, 0.36f, 1.0f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.31f, 0.33f, 0.41f, 1.0f);
  c[ImGuiCol_NavHighlight] = kMineText;  // the focus ring
  c[ImGuiCol_TextDisabled] = ImVec4(0.62f, 0.65f, 0.72f, 1.0f);
  if (moreContrast) {
    c[ImGuiCol_WindowBg] = ImVec4(0.04f, 0.04f, 0.06f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.04f, 0.04f, 0.06f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.82f, 0.84f, 0.88f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.85f, 0.87f, 0.92f, 1.0f);
    c[ImGuiCol_NavHighlight] = ImVec4(1.0f, 0.85f, 0.30f, 1.0f);
    style.FrameBorderSize = 1.0f;
    style.WindowBorderSize = 1.0f;
  }
  style.ScaleAllSizes(scale);
}

bool primaryButton(const char* label, const ImVec2& size) {
  ImGui::PushStyleColor(ImGuiCol_Button, kAccent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kAccentHover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, kAccentActive);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

}  // namespace vroom::ui::theme
