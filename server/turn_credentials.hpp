// Short-lived TURN credentials in the TURN REST scheme that coturn's `use-auth-secret`
// checks: username = "<expiry unix seconds>:<peer id>", password = base64(HMAC-SHA1(secret,
// username)). Nothing is stored: coturn recomputes the password from the shared secret.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol.hpp"

namespace vroom::server {

struct TurnConfig {
  std::string secret;             // coturn's static-auth-secret; empty: no TURN minting
  std::vector<std::string> urls;  // turn:/turns: URLs without credentials
  std::chrono::seconds ttl{3600};

  bool enabled() const { return !secret.empty() && !urls.empty(); }
  // Credentials are sent again when half their lifetime has passed, so a client always
  // holds a pair with at least ttl/2 to run, whatever its clock says.
  std::chrono::milliseconds renewEvery() const { return ttl / 2; }
};

// One ICE server entry carrying every configured URL and credentials that expire `ttl`
// after `unixMs`.
protocol::IceServer mintTurnCredentials(const TurnConfig& config, std::string_view peerId,
                                        std::int64_t unixMs);

// base64(HMAC-SHA1(secret, username)): the password coturn expects for `username`.
std::string turnPassword(std::string_view secret, std::string_view username);

// "turn:host[:port][?transport=udp|tcp]" or "turns:...", with no user info: true when
// `url` is one a browser accepts as a TURN server.
bool isTurnUrl(std::string_view url);

}  // namespace vroom::server
