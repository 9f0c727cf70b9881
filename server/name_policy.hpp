// The server's own rules for display names, on top of protocol::normalizeName() (trimmed, no
// controls, no bidi or zero-width characters): Unicode NFC, something visible, and one name
// per person in a room ("Bob", "Bob (2)"). Uses utf8proc, which the browser build never links.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vroom::server {

// The stored form of a name normalizeName() accepted: in NFC, so "Bo\u0301b" and "Bób" are
// one name. Nullopt when nothing visible is left (only combining marks, blank look-alikes such
// as U+3164 or U+2800, private-use or unassigned code points), or the text is not UTF-8.
std::optional<std::string> canonicalName(std::string_view name);

// What two names that look alike share: NFKC (compatibility forms such as fullwidth letters
// folded) with default-ignorable code points removed. Case is kept: "bob" is not "Bob".
std::string nameKey(std::string_view name);

// `name` when no name in `taken` has its key, else "name (2)", "name (3)", ...: the first
// free one, the name cut (at a code point) so the result stays within kMaxNameChars.
std::string distinctName(const std::string& name, const std::vector<std::string>& taken);

}  // namespace vroom::server
