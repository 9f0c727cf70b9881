// The server's half of the WebSocket opening handshake (RFC 6455 4.2.2) on an upgrade request
// Beast has parsed: is the key well formed, and the 101 response bytes that accept it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vroom::server::ws {

inline constexpr std::string_view kVersion = "13";  // the only Sec-WebSocket-Version spoken

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC's GUID)), or
// nullopt when the key is not the base64 of 16 bytes.
std::optional<std::string> acceptKey(std::string_view secWebSocketKey);

// The whole 101 Switching Protocols response, headers and blank line. No extension and no
// subprotocol is accepted: messages are never compressed.
std::string switchingProtocols(std::string_view acceptKey, std::string_view serverName);

}  // namespace vroom::server::ws
