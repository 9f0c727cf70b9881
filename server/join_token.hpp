// Join tokens: HS256 JSON Web Tokens (RFC 7519) with which a product's backend, holding the
// server's --token-secret, says who may enter which room as what. Any JWT library mints them;
// `vroom-server token` does too. Claims and rules: docs/protocol.md, "Join tokens".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "enum_names.hpp"
#include "result.hpp"

namespace vroom::server {

// viewer: watch a broadcast. member: join a conference, watch a broadcast. host: also go live
// with the broadcast. moderator: all of that, and moderate the room from the moment it enters.
enum class TokenRole { Viewer, Member, Host, Moderator };
inline constexpr EnumName<TokenRole> kTokenRoleNames[] = {{TokenRole::Viewer, "viewer"},
                                                          {TokenRole::Member, "member"},
                                                          {TokenRole::Host, "host"},
                                                          {TokenRole::Moderator, "moderator"}};
constexpr std::string_view toString(TokenRole role) {
  return nameOf(kTokenRoleNames, role, "member");
}
constexpr std::optional<TokenRole> tokenRoleFromString(std::string_view text) {
  return valueOf(kTokenRoleNames, text);
}

struct JoinClaims {
  std::string room;                       // `room`: the one room id it opens
  std::string name;                       // `name`: the display name (the message's is ignored)
  TokenRole role = TokenRole::Member;     // `role`
  std::string subject;                    // `sub`, optional: a stable user id that bans follow
  std::int64_t expiresAt = 0;             // `exp`, Unix seconds: required
  std::optional<std::int64_t> notBefore;  // `nbf`
  std::optional<std::int64_t> issuedAt;   // `iat`
};

enum class TokenError {
  Malformed,    // not three base64url parts of JSON objects, or an unknown `crit` header
  Algorithm,    // `alg` is not HS256 (`none` included)
  Signature,    // the HMAC does not match: another secret, or altered
  Expired,      // now > exp + leeway
  NotYetValid,  // nbf or iat later than now + leeway
  BadClaims,    // room, name, role or exp missing or of the wrong type, an unknown role
};
std::string_view describe(TokenError error);  // for the `error` frame's message

// Clocks of the backend and this server may disagree by this much.
inline constexpr std::int64_t kTokenLeewaySeconds = 60;

// Checks the header (alg HS256), the signature (constant-time), then the claims at `nowUnix`.
Result<JoinClaims, TokenError> verifyJoinToken(std::string_view token, std::string_view secret,
                                               std::int64_t nowUnix);

// header {"alg":"HS256","typ":"JWT"}, payload of the claims given (sub, nbf, iat only when set).
std::string mintJoinToken(const JoinClaims& claims, std::string_view secret);

// HMAC-SHA256 of `data` under `secret`, raw bytes: a token's signature is its base64url.
std::string hmacSha256(std::string_view secret, std::string_view data);

// base64url without padding (RFC 4648 section 5), both ways; decoding refuses padding and any
// character outside the alphabet.
std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace vroom::server
