// The decoder: lead byte, continuation bytes, and the rejections (overlong forms, surrogates,
// past U+10FFFF, truncated sequences).
#include "utf8.hpp"

namespace vroom::ui {

char32_t nextCodePoint(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) {
    ++at;
    return lead;
  }
  const int length = lead >= 0xF5 ? 0 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || at + std::size_t(length) > text.size()) {
    ++at;
    return kReplacementCharacter;
  }
  char32_t c = lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    const unsigned char next = byte(at + std::size_t(i));
    if ((next & 0xC0) != 0x80) {
      ++at;
      return kReplacementCharacter;
    }
    c = (c << 6) | (next & 0x3F);
  }
  const char32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++at;
    return kReplacementCharacter;
  }
  at += std::size_t(length);
  return c;
}

}  // namespace vroom::ui
