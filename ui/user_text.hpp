// Text people wrote (names, chat messages) as the overlay draws it: glyphs of ImGui's font
// when drawing it code point by code point is right, else a browser-shaped run of the current
// TextRenderer (right-to-left scripts, marks, emoji sequences: text_shaping.hpp). Without a
// current renderer, or for a run the browser could not draw, glyphs.
#pragma once

#include <string_view>

#include <imgui.h>

namespace vroom::ui {

// Whether `text` would be drawn as a shaped run in this frame.
bool drawsAsRun(std::string_view text);

// Size `text` takes as drawUserText draws it in `colour` (runs are cached per colour),
// wrapped at `wrapWidth` (0: at line breaks only).
ImVec2 userTextSize(std::string_view text, ImU32 colour, float wrapWidth = 0.0f);

// Draws `text` with its top-left corner at `pos`; returns the size it took.
ImVec2 drawUserText(ImDrawList* draw, ImVec2 pos, ImU32 colour, std::string_view text,
                    float wrapWidth = 0.0f);

// One line: what a person wrote (`own`, drawn as drawUserText does, so its direction never
// reorders the rest), then vroom's words after it (`rest`: " (you)", a time) in glyphs.
// Returns the size of both.
ImVec2 drawUserLine(ImDrawList* draw, ImVec2 pos, ImU32 colour, std::string_view own,
                    std::string_view rest);
ImVec2 userLineSize(std::string_view own, std::string_view rest, ImU32 colour);

// As ImGui::TextWrapped in the current window (the text colour of the style): an item as tall
// as the text. A right-to-left paragraph sits against the right edge. A run scrolled out of
// view is not rasterised: its place is estimated from the glyphs.
void userTextWrapped(std::string_view text);

}  // namespace vroom::ui
