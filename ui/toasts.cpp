// One window per message, centred under the top bar, wrapped to at most 480 px of text.
#include "toasts.hpp"

#include <algorithm>
#include <cfloat>

#include <imgui.h>

#include "semantics.hpp"
#include "theme.hpp"
#include "top_bar.hpp"

namespace vroom::ui {
namespace {

// How far below the error toast a notice starts when both show.
constexpr float kErrorToastHeight = 72.0f;

// A message window at `top` in `background`, with one button that calls `dismiss`.
template <typename Dismiss>
void drawToast(const char* window, float top, const ImVec4& background, const std::string& text,
               const char* button, Dismiss dismiss) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, top), ImGuiCond_Always,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0),
                                      ImVec2(std::min(520.0f, io.DisplaySize.x - 16.0f), FLT_MAX));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, background);
  if (ImGui::Begin(window, nullptr, theme::kBarFlags)) {
    ImGui::PushTextWrapPos(std::min(480.0f, io.DisplaySize.x - 48.0f));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    // A status the mirror shows but does not speak: the announcer already said it.
    semantics::textLast("##toast", text, semantics::Role::Status);
    if (ImGui::SmallButton(button)) dismiss();
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace

void drawToasts(const SessionSnapshot& s, RoomActions& actions) {
  const bool error = s.error.code != SessionErrorCode::None;
  const float top = kTopBarHeight + 8.0f;
  if (s.notice.code != SessionErrorCode::None) {
    drawToast("##notice", top + (error ? kErrorToastHeight : 0.0f), theme::kNoticeBg,
              s.notice.message, "OK##notice", [&] { actions.clearNotice(); });
  }
  if (error) {
    drawToast("##error", top, theme::kErrorToastBg, s.error.message, "Dismiss",
              [&] { actions.clearError(); });
  }
}

}  // namespace vroom::ui
