// canonicalName(), nameKey() and distinctName() over utf8proc (NFC/NFKC, categories).
#include "name_policy.hpp"

#include <cstdlib>
#include <memory>
#include <set>

#include <utf8proc.h>

#include "protocol.hpp"

namespace vroom::server {

namespace {

// utf8proc_map() with `options`; nullopt for text that is not UTF-8.
std::optional<std::string> mapped(std::string_view text, int options) {
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &out, static_cast<utf8proc_option_t>(options));
  if (length < 0) return std::nullopt;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
}

// Letters, digits, punctuation and symbols draw something; marks only decorate them, and a
// few letters and symbols are blank on every font.
bool isVisible(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x115F:  // Hangul choseong filler
    case 0x1160:  // Hangul jungseong filler
    case 0x2800:  // braille pattern blank
    case 0x3164:  // Hangul filler
    case 0xFFA0:  // halfwidth Hangul filler
      return false;
    default:
      break;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
      return true;
    default:
      return false;
  }
}

// The longest prefix of `text` with at most `maxChars` code points.
std::string firstCodePoints(const std::string& text, std::size_t maxChars) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count++ == maxChars) return text.substr(0, i);
  }
  return text;
}

}  // namespace

std::optional<std::string> canonicalName(std::string_view name) {
  auto nfc = mapped(name, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (!nfc || nfc->empty()) return std::nullopt;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(nfc->data());
  const auto size = static_cast<utf8proc_ssize_t>(nfc->size());
  bool visible = false;
  for (utf8proc_ssize_t i = 0; i < size;) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(bytes + i, size - i, &cp);
    if (len <= 0) return std::nullopt;
    visible = visible || isVisible(cp);
    i += len;
  }
  if (!visible) return std::nullopt;
  return nfc;
}

std::string nameKey(std::string_view name) {
  return mapped(name, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE)
      .value_or(std::string(name));
}

std::string distinctName(const std::string& name, const std::vector<std::string>& taken) {
  std::set<std::string> keys;
  for (const auto& other : taken) keys.insert(nameKey(other));
  if (!keys.count(nameKey(name))) return name;
  for (std::size_t n = 2;; ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    const std::string candidate =
        firstCodePoints(name, protocol::kMaxNameChars - suffix.size()) + suffix;
    if (!keys.count(nameKey(candidate))) return candidate;
  }
}

}  // namespace vroom::server
