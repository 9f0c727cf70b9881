// WCAG 2.2 AA contrast of vroom's ImGui theme (ui/theme.*), computed from the colours the
// theme sets: text 4.5:1 against every background it is drawn on, the focus ring and check
// marks 3:1 (non-text). Translucent backgrounds are blended over both a black and a white
// video frame, the worst cases of what shows through; `prefers-contrast: more` must do better.
#include "theme.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

double channel(double c) {
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(const ImVec4& c) {
  return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z);
}
ImVec4 over(const ImVec4& top, const ImVec4& under) {
  const float a = top.w;
  return ImVec4(top.x * a + under.x * (1 - a), top.y * a + under.y * (1 - a),
                top.z * a + under.z * (1 - a), 1.0f);
}
// The lower contrast of `fg` on `bg` over a black and over a white frame.
double contrast(const ImVec4& fg, const ImVec4& bg) {
  double worst = 100;
  for (const ImVec4 video : {ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)}) {
    const ImVec4 back = over(bg, video);
    const ImVec4 front = over(fg, back);
    const double a = luminance(front) + 0.05, b = luminance(back) + 0.05;
    worst = std::min(worst, std::max(a, b) / std::min(a, b));
  }
  return worst;
}

struct Pair {
  const char* what;
  ImGuiCol fg;
  ImGuiCol bg;
  double needed;
};

class ThemeContrast : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    context_ = ImGui::CreateContext();
    theme::apply(1.0f, GetParam());
  }
  void TearDown() override { ImGui::DestroyContext(context_); }
  const ImVec4& colour(ImGuiCol c) const { return ImGui::GetStyle().Colors[c]; }
  ImGuiContext* context_ = nullptr;
};

TEST_P(ThemeContrast, EveryTextAndControlMeetsAA) {
  const Pair pairs[] = {
      {"text on panels", ImGuiCol_Text, ImGuiCol_WindowBg, 4.5},
      {"text on popups", ImGuiCol_Text, ImGuiCol_PopupBg, 4.5},
      {"text in fields", ImGuiCol_Text, ImGuiCol_FrameBg, 4.5},
      {"text in hovered fields", ImGuiCol_Text, ImGuiCol_FrameBgHovered, 4.5},
      {"button text", ImGuiCol_Text, ImGuiCol_Button, 4.5},
      {"hovered button text", ImGuiCol_Text, ImGuiCol_ButtonHovered, 4.5},
      {"pressed button text", ImGuiCol_Text, ImGuiCol_ButtonActive, 4.5},
      {"selected row text", ImGuiCol_Text, ImGuiCol_Header, 4.5},
      {"hovered row text", ImGuiCol_Text, ImGuiCol_HeaderHovered, 4.5},
      {"window title", ImGuiCol_Text, ImGuiCol_TitleBgActive, 4.5},
      {"hints and secondary text", ImGuiCol_TextDisabled, ImGuiCol_WindowBg, 4.5},
      {"field hints", ImGuiCol_TextDisabled, ImGuiCol_FrameBg, 4.5},
      {"focus ring", ImGuiCol_NavHighlight, ImGuiCol_WindowBg, 3.0},
      {"check marks", ImGuiCol_CheckMark, ImGuiCol_FrameBg, 3.0},
  };
  const double scale = GetParam() ? 7.0 / 4.5 : 1.0;  // more contrast: AAA for text
  for (const Pair& p : pairs) {
    const double needed = p.needed == 4.5 ? p.needed * scale : p.needed;
    EXPECT_GE(contrast(colour(p.fg), colour(p.bg)), needed) << p.what;
  }
  const ImVec4 white(1, 1, 1, 1);
  EXPECT_GE(contrast(white, theme::kAccent), 4.5) << "primary button text";
  EXPECT_GE(contrast(white, theme::kAccentHover), 4.5) << "hovered primary button text";
  EXPECT_GE(contrast(white, theme::kAccentActive), 4.5) << "pressed primary button text";
  EXPECT_GE(contrast(theme::kErrorText, colour(ImGuiCol_WindowBg)), 4.5) << "errors";
  EXPECT_GE(contrast(theme::kMineText, colour(ImGuiCol_WindowBg)), 4.5) << "my chat headers";
}

// The top bar is a translucent window over the video: its words (the room and count, LIVE,
// Locked, sharing, audio only) are judged on it as it is drawn; the toasts' text on theirs.
TEST_P(ThemeContrast, TheTopBarsWordsAndTheToastsMeetAA) {
  ImVec4 bar = colour(ImGuiCol_WindowBg);
  bar.w = theme::kTopBarAlpha;
  const std::pair<const char*, ImVec4> words[] = {
      {"room and count", colour(ImGuiCol_Text)},     {"LIVE", theme::kLiveText},
      {"Locked, reconnecting", theme::kWarningText}, {"sharing", theme::kPositiveText},
      {"audio only", colour(ImGuiCol_TextDisabled)},
  };
  for (const auto& [what, fg] : words) EXPECT_GE(contrast(fg, bar), 4.5) << what;
  EXPECT_GE(contrast(colour(ImGuiCol_Text), theme::kErrorToastBg), 4.5) << "error toast";
  EXPECT_GE(contrast(colour(ImGuiCol_Text), theme::kNoticeBg), 4.5) << "notice toast";
}

TEST(ThemeContrastMore, RaisesContrastOverTheDefault) {
  ImGuiContext* context = ImGui::CreateContext();
  theme::apply(1.0f, false);
  const ImGuiStyle normal = ImGui::GetStyle();
  theme::apply(1.0f, true);
  const ImGuiStyle& more = ImGui::GetStyle();
  EXPECT_GT(contrast(more.Colors[ImGuiCol_TextDisabled], more.Colors[ImGuiCol_WindowBg]),
            contrast(normal.Colors[ImGuiCol_TextDisabled], normal.Colors[ImGuiCol_WindowBg]));
  EXPECT_GT(more.FrameBorderSize, 0.0f) << "controls get an outline";
  ImGui::DestroyContext(context);
}

INSTANTIATE_TEST_SUITE_P(Themes, ThemeContrast, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "More" : "Normal"; });

}  // namespace
}  // namespace vroom::ui
