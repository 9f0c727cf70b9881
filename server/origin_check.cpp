// originAllowed(): parses the Origin's scheme, host and port and matches them against the
// public hosts, the allow list, and (address literals only) the Host header.
#include "origin_check.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <boost/asio/ip/address.hpp>

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

struct Authority {
  std::string host;  // lower case; IPv6 keeps its brackets
  std::optional<std::uint16_t> port;
};

// "host", "host:port", "[v6]", "[v6]:port"; nullopt for anything else.
std::optional<Authority> parseAuthority(std::string_view text) {
  if (text.empty() || text.find_first_of("/?#@ ") != std::string_view::npos) return std::nullopt;
  Authority out;
  std::string_view portText;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = lower(text.substr(0, close + 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      portText = rest.substr(1);
    }
  } else {
    const auto colon = text.find(':');
    out.host = lower(text.substr(0, colon));
    if (colon != std::string_view::npos) portText = text.substr(colon + 1);
  }
  if (out.host.empty()) return std::nullopt;
  if (!portText.empty() || text.back() == ':') {
    if (portText.empty() || portText.size() > 5 ||
        portText.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    const unsigned long port = std::stoul(std::string(portText));
    if (port > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

bool isAddressLiteral(const std::string& host) {
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']')
    bare = bare.substr(1, bare.size() - 2);
  boost::system::error_code ec;
  boost::asio::ip::make_address(bare, ec);
  return !ec;
}

}  // namespace

std::vector<std::string> defaultPublicHosts(const std::string& listenAddress) {
  std::vector<std::string> hosts{"localhost"};
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(listenAddress, ec);
  if (!ec && !address.is_unspecified())
    hosts.push_back(address.is_v6() ? "[" + address.to_string() + "]" : address.to_string());
  return hosts;
}

bool isLoopbackAddress(const std::string& address) {
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(address, ec);
  if (ec) return false;
  if (parsed.is_v6() && parsed.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6())
        .is_loopback();
  return parsed.is_loopback();
}

bool originAllowed(std::string_view origin, std::string_view hostHeader,
                   const OriginPolicy& policy) {
  if (origin.empty()) return true;
  const std::string normalized = stripSuffix(lower(origin), "/");
  for (const auto& entry : policy.allowedOrigins)
    if (entry == "*" || stripSuffix(lower(entry), "/") == normalized) return true;

  const auto schemeEnd = normalized.find("://");
  if (schemeEnd == std::string::npos) return false;
  const std::string scheme = normalized.substr(0, schemeEnd);
  if (scheme != "http" && scheme != "https") return false;
  const std::uint16_t defaultPort = scheme == "https" ? 443 : 80;
  const auto page = parseAuthority(std::string_view(normalized).substr(schemeEnd + 3));
  if (!page) return false;
  const std::uint16_t pagePort = page->port.value_or(defaultPort);

  for (const auto& entry : policy.publicHosts) {
    const auto host = parseAuthority(entry);
    if (!host || host->host != page->host) continue;
    if (host->port ? *host->port == pagePort
                   : pagePort == policy.listenPort || pagePort == defaultPort)
      return true;
  }
  // An address literal names the very machine the browser reached: no DNS answer can point
  // it elsewhere, so the Host header may vouch for it (and only for it).
  if (!isAddressLiteral(page->host)) return false;
  const auto socketHost = parseAuthority(hostHeader);
  return socketHost && socketHost->host == page->host &&
         socketHost->port.value_or(defaultPort) == pagePort;
}

}  // namespace vroom::server
