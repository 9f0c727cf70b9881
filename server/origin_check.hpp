// The Origin rule for /ws upgrades, and the loopback test /metrics uses. A browser page may
// open the socket only when it was served from one of this server's public hosts
// (--public-host), from an address literal the socket itself reached, or from an origin on the
// --allowed-origin list. The request's Host header never vouches for a name: a DNS-rebinding
// page controls it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vroom::server {

struct OriginPolicy {
  // host or host:port (IPv6 in brackets), case-insensitive. Without a port an entry matches
  // the listening port and the scheme's default port (a TLS-terminating proxy in front).
  std::vector<std::string> publicHosts;
  std::vector<std::string> allowedOrigins;  // scheme://host[:port], or "*" for any
  std::uint16_t listenPort = 0;
};

// The public hosts when --public-host is not given: localhost and the listening address
// (unless it is a wildcard such as 0.0.0.0 or ::).
std::vector<std::string> defaultPublicHosts(const std::string& listenAddress);

// No Origin header (not a browser) -> allowed. Listed in allowedOrigins -> allowed. An http or
// https origin whose host is a public host (port as above) -> allowed. An origin whose host is
// an IP address literal equal to the Host header (default ports ignored) -> allowed: an address
// cannot be rebound. Everything else, "null" included, -> refused.
bool originAllowed(std::string_view origin, std::string_view hostHeader,
                   const OriginPolicy& policy);

// 127.0.0.0/8, ::1 and ::ffff:127.x (a v4 client on a dual-stack socket).
bool isLoopbackAddress(const std::string& address);

}  // namespace vroom::server
