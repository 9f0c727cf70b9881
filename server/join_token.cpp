// HS256 join tokens: base64url, HMAC-SHA256 through OpenSSL, claims read with nlohmann's
// non-throwing parser.
#include "join_token.hpp"

#include <array>
#include <cmath>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <nlohmann/json.hpp>

namespace vroom::server {

namespace {

using json = nlohmann::json;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<json> decodeObject(std::string_view part) {
  const auto bytes = base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  json value = json::parse(*bytes, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

// A NumericDate (RFC 7519 section 2): seconds, possibly with a fraction.
std::optional<std::int64_t> numericDate(const json& payload, const char* key) {
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_number()) return std::nullopt;
  const double value = it->get<double>();
  if (!std::isfinite(value) || std::fabs(value) > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(value));
}

}  // namespace

std::string hmacSha256(std::string_view secret, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string_view describe(TokenError error) {
  switch (error) {
    case TokenError::Malformed:
      return "the join token is not a JWT this server reads";
    case TokenError::Algorithm:
      return "join tokens must be signed with HS256";
    case TokenError::Signature:
      return "the join token's signature does not match this server's secret";
    case TokenError::Expired:
      return "the join token has expired";
    case TokenError::NotYetValid:
      return "the join token is not valid yet";
    case TokenError::BadClaims:
      return "the join token needs room, name, role (viewer, member, host or moderator) and exp";
  }
  return "invalid join token";
}

std::string base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte ends there
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '-') value = 62;
    if (c == '_') value = 63;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
  return out;
}

Result<JoinClaims, TokenError> verifyJoinToken(std::string_view token, std::string_view secret,
                                               std::int64_t nowUnix) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return fail(TokenError::Malformed);
  const auto header = decodeObject(token.substr(0, first));
  if (!header) return fail(TokenError::Malformed);
  const auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string() || alg->get<std::string>() != "HS256")
    return fail(TokenError::Algorithm);
  if (header->contains("crit")) return fail(TokenError::Malformed);  // extensions we do not know

  // The signature before anything in the payload is believed.
  const auto signature = base64UrlDecode(token.substr(second + 1));
  const std::string expected = hmacSha256(secret, token.substr(0, second));
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
    return fail(TokenError::Signature);

  const auto payload = decodeObject(token.substr(first + 1, second - first - 1));
  if (!payload) return fail(TokenError::Malformed);
  JoinClaims claims;
  const auto text = [&](const char* key, std::string& out, bool required) {
    const auto it = payload->find(key);
    if (it == payload->end()) return !required;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  std::string role;
  const auto exp = numericDate(*payload, "exp");
  if (!text("room", claims.room, true) || !text("name", claims.name, true) ||
      !text("role", role, true) || !text("sub", claims.subject, false) || !exp)
    return fail(TokenError::BadClaims);
  const auto parsedRole = tokenRoleFromString(role);
  if (!parsedRole) return fail(TokenError::BadClaims);
  claims.role = *parsedRole;
  claims.expiresAt = *exp;
  for (const char* key : {"nbf", "iat"}) {
    if (!payload->contains(key)) continue;
    const auto value = numericDate(*payload, key);
    if (!value) return fail(TokenError::BadClaims);
    (std::string_view(key) == "nbf" ? claims.notBefore : claims.issuedAt) = *value;
  }
  if (nowUnix > claims.expiresAt + kTokenLeewaySeconds) return fail(TokenError::Expired);
  if ((claims.notBefore && *claims.notBefore > nowUnix + kTokenLeewaySeconds) ||
      (claims.issuedAt && *claims.issuedAt > nowUnix + kTokenLeewaySeconds))
    return fail(TokenError::NotYetValid);
  return claims;
}

std::string mintJoinToken(const JoinClaims& claims, std::string_view secret) {
  json payload{{"room", claims.room},
               {"name", claims.name},
               {"role", toString(claims.role)},
               {"exp", claims.expiresAt}};
  if (!claims.subject.empty()) payload["sub"] = claims.subject;
  if (claims.notBefore) payload["nbf"] = *claims.notBefore;
  if (claims.issuedAt) payload["iat"] = *claims.issuedAt;
  const std::string signingInput =
      base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." +
      base64UrlEncode(payload.dump(-1, ' ', false, json::error_handler_t::replace));
  return signingInput + "." + base64UrlEncode(hmacSha256(secret, signingInput));
}

}  // namespace vroom::server
