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

// Text that stands out in the room's bars: 4.5:1 or more on the top bar over any video.
inline const ImVec4 kLiveText{1.0f, 0.55f, 0.55f, 1.0f};       // a broadcast host's "LIVE"
inline const ImVec4 kWarningText{1.0f, 0.78f, 0.35f, 1.0f};    // locked, reconnecting
inline const ImVec4 kPositiveText{0.45f, 0.85f, 0.55f, 1.0f};  // "You are sharing your screen"

// The panels' text.
inline const ImVec4 kChatHeaderText{0.78f, 0.80f, 0.86f, 1.0f};  // others' names in chat
inline const ImVec4 kSpeakingText{0.45f, 0.88f, 0.55f, 1.0f};    // who speaks, in People

// The connection quality of a peer, in the Stats panel.
inline const ImVec4 kQualityGood{0.36f, 0.80f, 0.45f, 1.0f};
inline const ImVec4 kQualityFair = kWarningText;
inline const ImVec4 kQualityPoor{1.0f, 0.42f, 0.40f, 1.0f};
inline const ImVec4 kQualityUnknown{0.6f, 0.62f, 0.68f, 1.0f};

// A toolbar toggle that is off (microphone muted, camera stopped, sharing to stop).
inline const ImVec4 kOffButton{0.55f, 0.18f, 0.18f, 1.0f};
inline const ImVec4 kOffButtonHover{0.65f, 0.22f, 0.22f, 1.0f};
// The button that ends something for good (Leave).
inline const ImVec4 kDangerButton{0.80f, 0.22f, 0.22f, 1.0f};
inline const ImVec4 kDangerButtonHover{0.90f, 0.28f, 0.28f, 1.0f};
// A moderator's "End meeting", quieter than Leave: it asks again before it acts.
inline const ImVec4 kEndRoomButton{0.62f, 0.18f, 0.18f, 1.0f};

// Window backgrounds of the messages under the top bar.
inline const ImVec4 kErrorToastBg{0.35f, 0.10f, 0.10f, 0.95f};
inline const ImVec4 kNoticeBg{0.12f, 0.25f, 0.50f, 0.95f};  // neutral: a moderator's request

// The bars over the video: translucent, without title or frame, sized to what they hold.
inline constexpr float kTopBarAlpha = 0.85f;  // at 0.75 a white frame left LIVE at 2.5:1
inline constexpr float kToolbarAlpha = 0.85f;
inline constexpr ImGuiWindowFlags kBarFlags =
    ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize |
    ImGuiWindowFlags_NoFocusOnAppearing;

// Applies vroom's style to the current ImGui context; `scale` is the UI scale (1 = 100%);
// `moreContrast` (the page's `prefers-contrast: more`) makes panels opaque, secondary text
// brighter and outlines every control.
void apply(float scale = 1.0f, bool moreContrast = false);

// A filled accent-coloured button for the one main action of a window.
bool primaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));

}  // namespace vroom::ui::theme
