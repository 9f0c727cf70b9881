// The Origin rule for /ws upgrades: a browser page may open the socket only when served by
// this same host, or when its origin is on the --allowed-origin list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vroom::server {

// No Origin header (a non-browser client) -> allowed. Origin's host[:port] equal to the Host
// header (default ports ignored, case-insensitive) -> allowed. Origin listed in `allowed`
// (scheme://host[:port], or "*" for any) -> allowed. Everything else, "null" included, -> no.
bool originAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed);

}  // namespace vroom::server
