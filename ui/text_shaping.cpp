// The code point ranges behind needsShaping and paragraphDirection.
#include "text_shaping.hpp"

#include <algorithm>
#include <iterator>

#include "utf8.hpp"

namespace vroom::ui {
namespace {

struct Range {
  char32_t first, last;
};

bool inRanges(char32_t c, const Range* begin, const Range* end) {
  const Range* it =
      std::upper_bound(begin, end, c, [](char32_t v, const Range& r) { return v < r.first; });
  return it != begin && c <= std::prev(it)->last;
}

// Sorted, disjoint. Code points that need the browser's shaping or bidi to look right.
constexpr Range kShaping[] = {
    {0x0300, 0x036F},    // combining diacritical marks
    {0x0483, 0x0489},    // Cyrillic combining marks
    {0x0590, 0x08FF},    // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic (RTL, joining)
    {0x0900, 0x0DFF},    // Devanagari ... Sinhala (conjuncts, reordered vowels)
    {0x0E00, 0x0FFF},    // Thai, Lao (stacked vowels and tones), Tibetan
    {0x1000, 0x109F},    // Myanmar
    {0x1100, 0x11FF},    // Hangul conjoining jamo
    {0x1700, 0x18AF},    // Philippine scripts, Khmer, Mongolian
    {0x1900, 0x1AFF},    // Limbu ... Tai Tham, combining marks extended
    {0x1B00, 0x1C4F},    // Balinese, Sundanese, Batak, Lepcha
    {0x1CD0, 0x1CFF},    // Vedic extensions
    {0x1DC0, 0x1DFF},    // combining diacritical marks supplement
    {0x200C, 0x200F},    // ZWNJ, ZWJ (emoji sequences), LRM, RLM
    {0x202A, 0x202E},    // bidi embeddings and overrides
    {0x2066, 0x2069},    // bidi isolates
    {0x20D0, 0x20FF},    // combining marks for symbols (the keycap of 1️⃣)
    {0x302A, 0x302F},    // ideographic and Hangul tone marks
    {0x3099, 0x309A},    // combining kana voicing marks
    {0xA800, 0xAAFF},    // Syloti Nagri ... Javanese, Cham, Tai Viet, jamo extended-A
    {0xABC0, 0xABFF},    // Meetei Mayek
    {0xD7B0, 0xD7FF},    // Hangul jamo extended-B
    {0xFB1D, 0xFDFF},    // Hebrew and Arabic presentation forms (RTL)
    {0xFE00, 0xFE0F},    // variation selectors (emoji or text presentation)
    {0xFE20, 0xFE2F},    // combining half marks
    {0xFE70, 0xFEFF},    // Arabic presentation forms-B (RTL)
    {0x10800, 0x10FFF},  // right-to-left scripts of the SMP
    {0x11000, 0x11FFF},  // Brahmi and the other Indic scripts of the SMP
    {0x1E800, 0x1EFFF},  // Mende Kikakui, Adlam, Arabic mathematical symbols (RTL)
    {0x1F1E6, 0x1F1FF},  // regional indicators: flags are pairs of them
    {0x1F3FB, 0x1F3FF},  // emoji skin-tone modifiers
    {0xE0000, 0xE0FFF},  // tags (subdivision flags), variation selectors supplement
};

// Strong right-to-left letters.
constexpr Range kRtl[] = {
    {0x0590, 0x08FF}, {0xFB1D, 0xFDFF}, {0xFE70, 0xFEFF}, {0x10800, 0x10FFF}, {0x1E800, 0x1EFFF},
};

// Neither direction: marks, punctuation, symbols, digits, emoji, format characters.
constexpr Range kNeutral[] = {
    {0x0000, 0x0040},    // controls, space, ASCII digits and punctuation
    {0x005B, 0x0060},    // [ \ ] ^ _ `
    {0x007B, 0x00BF},    // { | } ~, Latin-1 punctuation and symbols
    {0x00D7, 0x00D7},    // ×
    {0x00F7, 0x00F7},    // ÷
    {0x02B9, 0x036F},    // modifier letters that are neutral, combining marks
    {0x0483, 0x0489},    // Cyrillic combining marks
    {0x1DC0, 0x1DFF},    // combining marks supplement
    {0x2000, 0x2BFF},    // punctuation, symbols, arrows, math, shapes, dingbats
    {0x2E00, 0x2E7F},    // supplemental punctuation
    {0x3000, 0x3004},    // CJK space and punctuation
    {0x3008, 0x3020},    // CJK brackets and marks
    {0xFE00, 0xFE0F},    // variation selectors
    {0xFE20, 0xFE2F},    // combining half marks
    {0xFF00, 0xFF20},    // fullwidth punctuation and digits
    {0x1F000, 0x1FAFF},  // emoji, pictographs, playing cards
    {0xE0000, 0xE0FFF},  // tags, variation selectors supplement
};

constexpr char32_t kLeftToRightMark = 0x200E;  // invisible, but strong
constexpr char32_t kRightToLeftMark = 0x200F;

}  // namespace

bool needsShaping(std::string_view utf8) {
  bool found = false;
  forEachCodePoint(utf8, [&](char32_t c) {
    found = c >= kShaping[0].first && inRanges(c, std::begin(kShaping), std::end(kShaping));
    return !found;
  });
  return found;
}

TextDirection paragraphDirection(std::string_view utf8) {
  TextDirection direction = TextDirection::Ltr;
  forEachCodePoint(utf8, [&](char32_t c) {
    if (c == kLeftToRightMark || c == kRightToLeftMark) {
      direction = c == kRightToLeftMark ? TextDirection::Rtl : TextDirection::Ltr;
      return false;
    }
    if (inRanges(c, std::begin(kNeutral), std::end(kNeutral))) return true;
    direction =
        inRanges(c, std::begin(kRtl), std::end(kRtl)) ? TextDirection::Rtl : TextDirection::Ltr;
    return false;
  });
  return direction;
}

}  // namespace vroom::ui
