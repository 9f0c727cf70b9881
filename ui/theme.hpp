// vroom's look for Dear ImGui: colours, spacing and the few custom widgets shared by panels.
#pragma once

#include <imgui.h>

namespace vroom::ui::theme {

inline const ImVec4 kErrorText{1.0f, 0.45f, 0.42f, 1.0f};
// Accent fills carry white text at 4.5:1 or more (native-tests/ui/theme_contrast_test.cpp).
inline const ImVec4 kAccent{0.16f, 0.40f, 0.85f, 1.0f};
inline const ImVec4 kAccentHover{0.18f, 0.43f, 0.90f, 1.0f};
inline const ImVec4 kAccentActive{0.12f, 0.34f, 0.75f, 1.0f};
// Light accent for text and marks on the dark panels: my chat headers, check marks, and the
// keyboard focus ring.
inline const ImVec4 kMineText{0.45f, 0.68f, 1.0f, 1.0f};

// Applies vroom's style to the current ImGui context; `scale` is the UI scale (1 = 100%);
// `moreContrast` (the page's `prefers-contrast: more`) makes panels opaque, secondary text
// brighter and outlines every control.
void apply(float scale = 1.0f, bool moreContrast = false);

// A filled accent-coloured button for the one main action of a window.
bool primaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));

}  // namespace vroom::ui::theme
