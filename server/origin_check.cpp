// originAllowed(): compares an Origin header with the Host header and the allow list.
#include "origin_check.hpp"

#include <algorithm>
#include <cctype>

namespace vroom::server {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string stripSuffix(std::string text, std::string_view suffix) {
  if (text.size() > suffix.size() && text.ends_with(suffix))
    text.resize(text.size() - suffix.size());
  return text;
}

}  // namespace

bool originAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  const std::string normalized = stripSuffix(lower(origin), "/");
  for (const auto& entry : allowed)
    if (entry == "*" || stripSuffix(lower(entry), "/") == normalized) return true;

  const auto scheme = normalized.find("://");
  if (scheme == std::string::npos || host.empty()) return false;
  const std::string schemeName = normalized.substr(0, scheme);
  std::string authority = normalized.substr(scheme + 3);
  if (authority.find_first_of("/?#@") != std::string::npos) return false;
  std::string hostHeader = lower(host);
  // "http://example.org" and Host "example.org:80" are the same place.
  const std::string_view defaultPort = schemeName == "https" ? ":443" : ":80";
  authority = stripSuffix(authority, defaultPort);
  hostHeader = stripSuffix(hostHeader, defaultPort);
  return authority == hostHeader;
}

}  // namespace vroom::server
