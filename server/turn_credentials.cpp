// TURN REST credentials (see turn_credentials.hpp): HMAC-SHA1 and base64 from OpenSSL.
#include "turn_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace vroom::server {

std::string turnPassword(std::string_view secret, std::string_view username) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(username.data()), username.size(), digest, &length);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest,
                                      static_cast<int>(length));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

protocol::IceServer mintTurnCredentials(const TurnConfig& config, std::string_view peerId,
                                        std::int64_t unixMs) {
  const std::int64_t expiry = unixMs / 1000 + config.ttl.count();
  protocol::IceServer server;
  server.urls = config.urls;
  server.username = std::to_string(expiry) + ":" + std::string(peerId);
  server.credential = turnPassword(config.secret, server.username);
  return server;
}

bool isTurnUrl(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 5) == "turn:")
    rest = url.substr(5);
  else if (url.substr(0, 6) == "turns:")
    rest = url.substr(6);
  else
    return false;
  const std::string_view host = rest.substr(0, rest.find('?'));
  if (host.empty() || host.find('@') != std::string_view::npos ||
      host.find('/') != std::string_view::npos)
    return false;
  const std::string_view query = rest.size() > host.size() ? rest.substr(host.size()) : "";
  return query.empty() || query == "?transport=udp" || query == "?transport=tcp";
}

}  // namespace vroom::server
