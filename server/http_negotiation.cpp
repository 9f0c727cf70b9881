// Accept-Encoding and If-None-Match (see http_negotiation.hpp for the rules).
#include "http_negotiation.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "enum_names.hpp"

namespace vroom::server {

namespace {

constexpr int kQMax = 1000;  // q-values in thousandths: "0.5" -> 500

bool isOws(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && isOws(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> parseQValue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int value = (text[0] - '0') * kQMax;
  if (text.size() == 1) return value;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value <= kQMax ? std::optional<int>(value) : std::nullopt;
}

// One list element, "coding" or "coding;q=0.5"; nullopt when malformed.
struct Weighted {
  std::string_view coding;
  int q = kQMax;
};
std::optional<Weighted> parseElement(std::string_view element) {
  const auto semicolon = element.find(';');
  Weighted out{trim(element.substr(0, semicolon))};
  if (out.coding.empty()) return std::nullopt;
  if (semicolon == std::string_view::npos) return out;
  const std::string_view param = trim(element.substr(semicolon + 1));
  if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=')
    return std::nullopt;
  const auto q = parseQValue(param.substr(2));
  if (!q) return std::nullopt;
  out.q = *q;
  return out;
}

}  // namespace

std::string_view codingToken(ContentCoding coding) {
  static constexpr EnumName<ContentCoding> kTokens[] = {{ContentCoding::Identity, "identity"},
                                                        {ContentCoding::Gzip, "gzip"},
                                                        {ContentCoding::Brotli, "br"}};
  return nameOf(kTokens, coding, "identity");
}

std::optional<ContentCoding> chooseCoding(std::optional<std::string_view> acceptEncoding,
                                          bool haveBrotli, bool haveGzip) {
  if (!acceptEncoding) return ContentCoding::Identity;
  // The q-value each coding was given by name, and the one `*` gives every coding not named.
  std::array<std::optional<int>, 3> named;
  std::optional<int> star;
  auto raise = [](std::optional<int>& slot, int q) { slot = std::max(slot.value_or(0), q); };
  std::string_view rest = *acceptEncoding;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto weighted = parseElement(element);
    if (!weighted) continue;
    if (weighted->coding == "*")
      raise(star, weighted->q);
    else if (iequals(weighted->coding, "br"))
      raise(named[static_cast<int>(ContentCoding::Brotli)], weighted->q);
    else if (iequals(weighted->coding, "gzip") || iequals(weighted->coding, "x-gzip"))
      raise(named[static_cast<int>(ContentCoding::Gzip)], weighted->q);
    else if (iequals(weighted->coding, "identity"))
      raise(named[static_cast<int>(ContentCoding::Identity)], weighted->q);
  }
  auto quality = [&](ContentCoding coding) {
    if (const auto& q = named[static_cast<int>(coding)]) return *q;
    if (star) return *star;
    // Identity is acceptable unless refused, but a client that names codings wants them.
    return coding == ContentCoding::Identity ? 1 : 0;
  };
  // Server preference breaks ties: the smallest representation first.
  std::optional<ContentCoding> best;
  int bestQ = 0;
  const std::array<std::pair<ContentCoding, bool>, 3> candidates{{
      {ContentCoding::Brotli, haveBrotli},
      {ContentCoding::Gzip, haveGzip},
      {ContentCoding::Identity, true},
  }};
  for (const auto& [coding, available] : candidates) {
    const int q = quality(coding);
    if (available && q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

bool ifNoneMatchMatches(std::string_view ifNoneMatch, std::string_view etag) {
  std::string_view rest = trim(ifNoneMatch);
  if (rest == "*") return true;
  const std::string_view opaque =
      etag.substr(etag.size() >= 2 && etag.substr(0, 2) == "W/" ? 2 : 0);
  bool matched = false;
  while (!rest.empty()) {
    if (rest.front() == ',' || isOws(rest.front())) {
      rest.remove_prefix(1);
      continue;
    }
    if (rest.substr(0, 2) == "W/") rest.remove_prefix(2);
    if (rest.empty() || rest.front() != '"') return false;
    const auto close = rest.find('"', 1);
    if (close == std::string_view::npos) return false;
    matched = matched || rest.substr(0, close + 1) == opaque;
    rest = trim(rest.substr(close + 1));
    if (!rest.empty() && rest.front() != ',') return false;
  }
  return matched;
}

}  // namespace vroom::server
