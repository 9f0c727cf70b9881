// The opening handshake's key check and 101 response (see ws_handshake.hpp).
#include "ws_handshake.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace vroom::server::ws {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool isBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::optional<std::string> acceptKey(std::string_view key) {
  // 16 bytes are 22 base64 digits and "==".
  if (key.size() != 24 || key.substr(22) != "==" ||
      !std::all_of(key.begin(), key.begin() + 22, isBase64Char))
    return std::nullopt;
  std::string input(key);
  input += kGuid;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digestLen = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &digestLen, EVP_sha1(), nullptr) != 1)
    return std::nullopt;
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(digestLen));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n));
}

std::string switchingProtocols(std::string_view accept, std::string_view serverName) {
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  out += "Sec-WebSocket-Accept: ";
  out += accept;
  out += "\r\nServer: ";
  out += serverName;
  out += "\r\n\r\n";
  return out;
}

}  // namespace vroom::server::ws
