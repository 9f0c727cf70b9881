// The keyboard help: every shortcut of the room and how to move through the controls, shown
// by pressing '?' (and closed by '?', Escape or its Close button).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace vroom::ui {

// Key and what it does, in the order the panel lists them.
const std::vector<std::pair<std::string_view, std::string_view>>& keyboardShortcuts();

// Draws the panel centred over the room; sets *open to false when it is closed.
void drawHelpPanel(bool* open);

}  // namespace vroom::ui
