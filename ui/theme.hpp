// vroom's look for Dear ImGui: colours, spacing and the few custom widgets shared by panels.
#pragma once

#include <imgui.h>

namespace vroom::ui::theme {

inline const ImVec4 kErrorText{1.0f, 0.45f, 0.42f, 1.0f};
inline const ImVec4 kAccent{0.27f, 0.52f, 0.98f, 1.0f};
inline const ImVec4 kAccentHover{0.36f, 0.60f, 1.0f, 1.0f};
inline const ImVec4 kAccentActive{0.20f, 0.44f, 0.90f, 1.0f};

// Applies vroom's style to the current ImGui context; `scale` is the UI scale (1 = 100%).
void apply(float scale = 1.0f);

// A filled accent-coloured button for the one main action of a window.
bool primaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));

}  // namespace vroom::ui::theme
