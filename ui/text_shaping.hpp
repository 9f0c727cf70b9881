// Which strings ImGui's glyph-by-glyph drawing would show wrongly: right-to-left scripts,
// combining marks, scripts whose letters join or reorder (Indic, Thai, Khmer...), and emoji
// sequences (flags, skin tones, ZWJ). Those are drawn as browser-shaped runs (text_runs.*).
#pragma once

#include <string_view>

namespace vroom::ui {

// True when drawing `utf8` one code point after another would be wrong (see above).
bool needsShaping(std::string_view utf8);

enum class TextDirection { Ltr, Rtl };

// A paragraph's direction from its first strong character (Unicode bidi rule P2, by code
// point range): letters of right-to-left scripts are strong RTL, other letters LTR; digits,
// punctuation, symbols, marks and emoji are neutral. No strong character: Ltr.
TextDirection paragraphDirection(std::string_view utf8);

}  // namespace vroom::ui
