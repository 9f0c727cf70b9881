// Walking UTF-8 by code point, for the text code of ui/ (shaping detection, the glyph atlas).
// Valid UTF-8 decodes as usual; anything else yields U+FFFD for one byte, as ImGui draws it.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace vroom::ui {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// The code point at `at` in `text` (which must be before its end); moves `at` past it.
char32_t nextCodePoint(std::string_view text, std::size_t& at);

// Calls visit(codePoint) for each code point; stops early when visit returns false (a visit
// returning void never stops).
template <class Visit>
void forEachCodePoint(std::string_view text, Visit&& visit) {
  for (std::size_t at = 0; at < text.size();) {
    const char32_t c = nextCodePoint(text, at);
    if constexpr (std::is_same_v<decltype(visit(c)), bool>) {
      if (!visit(c)) return;
    } else {
      visit(c);
    }
  }
}

}  // namespace vroom::ui
