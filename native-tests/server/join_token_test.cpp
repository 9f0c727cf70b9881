// Join tokens: published HS256 vectors (RFC 7515 appendix A.1, the jwt.io example), base64url
// edge cases, every refusal, and the `vroom-server token` subcommand.
#include "join_token.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "token_command.hpp"

namespace vroom::server {
namespace {

using nlohmann::json;

// RFC 7515 A.1: the key is the JWK's "k", itself base64url.
constexpr const char* kRfcKey =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
constexpr const char* kRfcToken =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
// jwt.io's default example, signed with the secret "your-256-bit-secret".
constexpr const char* kJwtIoToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

constexpr std::int64_t kNow = 1'700'000'000;

TEST(JoinToken, PublishedVectorsCheckOutSignatureFirst) {
  // Both signatures verify; the payloads then lack vroom's claims (room, name, role, exp).
  const auto rfc = verifyJoinToken(kRfcToken, *base64UrlDecode(kRfcKey), 1300819380);
  ASSERT_FALSE(rfc.ok());
  EXPECT_EQ(rfc.error(), TokenError::BadClaims);
  const auto jwtIo = verifyJoinToken(kJwtIoToken, "your-256-bit-secret", kNow);
  ASSERT_FALSE(jwtIo.ok());
  EXPECT_EQ(jwtIo.error(), TokenError::BadClaims);
  // One character of the signature changed, or another key: the signature is what fails.
  std::string tampered = kJwtIoToken;
  tampered.back() = tampered.back() == 'c' ? 'd' : 'c';
  EXPECT_EQ(verifyJoinToken(tampered, "your-256-bit-secret", kNow).error(), TokenError::Signature);
  EXPECT_EQ(verifyJoinToken(kJwtIoToken, "your-256-bit-secreT", kNow).error(),
            TokenError::Signature);
}

TEST(JoinToken, MintedTokensVerifyWithTheirClaims) {
  JoinClaims claims;
  claims.room = "standup";
  claims.name = "Ada Lovelace";
  claims.role = TokenRole::Moderator;
  claims.subject = "user-42";
  claims.issuedAt = kNow;
  claims.expiresAt = kNow + 3600;
  const std::string token = mintJoinToken(claims, "s3cret");
  const std::string header = *base64UrlDecode(token.substr(0, token.find('.')));
  EXPECT_EQ(json::parse(header), (json{{"alg", "HS256"}, {"typ", "JWT"}}));
  const auto verified = verifyJoinToken(token, "s3cret", kNow + 10);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().room, "standup");
  EXPECT_EQ(verified.value().name, "Ada Lovelace");
  EXPECT_EQ(verified.value().role, TokenRole::Moderator);
  EXPECT_EQ(verified.value().subject, "user-42");
  EXPECT_EQ(verified.value().expiresAt, kNow + 3600);
}

// What any JWT library makes of a header and a payload, so the tests can sign tokens that
// mintJoinToken() never would.
std::string sign(const json& header, const json& payload, const std::string& secret = "k") {
  const std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(payload.dump());
  return input + "." + base64UrlEncode(hmacSha256(secret, input));
}

const json kHs256{{"alg", "HS256"}, {"typ", "JWT"}};

json claims(json extra = json::object()) {
  json out{{"room", "r"}, {"name", "N"}, {"role", "member"}, {"exp", kNow + 60}};
  for (const auto& [key, value] : extra.items()) {
    if (value.is_null())
      out.erase(key);
    else
      out[key] = value;
  }
  return out;
}

struct RefusalCase {
  const char* label;
  std::string token;
  TokenError error;
};

TEST(JoinToken, RefusalsAreTyped) {
  const std::string good = sign(kHs256, claims());
  const std::string payloadPart =
      good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  const std::vector<RefusalCase> cases = {
      {"empty", "", TokenError::Malformed},
      {"two parts", "a.b", TokenError::Malformed},
      {"four parts", good + ".x", TokenError::Malformed},
      {"header not base64url", "e+J.x.y", TokenError::Malformed},
      {"header not JSON", base64UrlEncode("nope") + "." + payloadPart + ".x",
       TokenError::Malformed},
      {"alg none", base64UrlEncode(R"({"alg":"none"})") + "." + payloadPart + ".",
       TokenError::Algorithm},
      {"alg HS512", sign(json{{"alg", "HS512"}}, claims()), TokenError::Algorithm},
      {"alg RS256", sign(json{{"alg", "RS256"}}, claims()), TokenError::Algorithm},
      {"no alg", sign(json{{"typ", "JWT"}}, claims()), TokenError::Algorithm},
      {"unknown crit", sign(json{{"alg", "HS256"}, {"crit", {"exp"}}}, claims()),
       TokenError::Malformed},
      {"another secret", sign(kHs256, claims(), "other"), TokenError::Signature},
      {"padded signature", good + "=", TokenError::Signature},
      {"no exp", sign(kHs256, claims(json{{"exp", nullptr}})), TokenError::BadClaims},
      {"exp a string", sign(kHs256, claims(json{{"exp", "tomorrow"}})), TokenError::BadClaims},
      {"no room", sign(kHs256, claims(json{{"room", nullptr}})), TokenError::BadClaims},
      {"no name", sign(kHs256, claims(json{{"name", nullptr}})), TokenError::BadClaims},
      {"unknown role", sign(kHs256, claims(json{{"role", "admin"}})), TokenError::BadClaims},
      {"role not a string", sign(kHs256, claims(json{{"role", 1}})), TokenError::BadClaims},
      {"expired", sign(kHs256, claims(json{{"exp", kNow - kTokenLeewaySeconds - 1}})),
       TokenError::Expired},
      {"nbf ahead", sign(kHs256, claims(json{{"nbf", kNow + kTokenLeewaySeconds + 1}})),
       TokenError::NotYetValid},
      {"iat ahead", sign(kHs256, claims(json{{"iat", kNow + 3600}})), TokenError::NotYetValid},
      {"nbf not a number", sign(kHs256, claims(json{{"nbf", "now"}})), TokenError::BadClaims},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto verified = verifyJoinToken(c.token, "k", kNow);
    ASSERT_FALSE(verified.ok());
    EXPECT_EQ(verified.error(), c.error);
    EXPECT_FALSE(describe(c.error).empty());
  }
  // Inside the leeway, and with a fractional NumericDate, it is still good.
  EXPECT_TRUE(verifyJoinToken(sign(kHs256, claims(json{{"exp", kNow - 30}})), "k", kNow).ok());
  EXPECT_TRUE(verifyJoinToken(sign(kHs256, claims(json{{"exp", kNow + 0.5}})), "k", kNow).ok());
  EXPECT_TRUE(verifyJoinToken(good, "k", kNow).ok());
}

TEST(Base64Url, RoundTripsAndRefusesWhatIsNotCanonical) {
  for (const std::string bytes :
       {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(bytes)), bytes);
  }
  EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");     // the url-safe alphabet, no padding
  EXPECT_EQ(base64UrlDecode("Zg=="), std::nullopt);  // padding
  EXPECT_EQ(base64UrlDecode("Zh"), std::nullopt);    // non-zero trailing bits
  EXPECT_EQ(base64UrlDecode("Z"), std::nullopt);     // no byte ends there
  EXPECT_EQ(base64UrlDecode("Zm+v"), std::nullopt);  // '+' is base64, not base64url
}

TEST(TokenCommand, PrintsATokenTheServerAccepts) {
  const char* argv[] = {"token",  "--token-secret", "S",     "--room", "standup", "--name", " Ada ",
                        "--role", "host",           "--ttl", "2h",     "--sub",   "u-1"};
  std::ostringstream out, err;
  ASSERT_EQ(runTokenCommand(13, argv, out, err, kNow), 0) << err.str();
  std::string token = out.str();
  ASSERT_EQ(token.back(), '\n');
  token.pop_back();
  const auto verified = verifyJoinToken(token, "S", kNow);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().room, "standup");
  EXPECT_EQ(verified.value().name, "Ada");
  EXPECT_EQ(verified.value().role, TokenRole::Host);
  EXPECT_EQ(verified.value().subject, "u-1");
  EXPECT_EQ(verified.value().expiresAt, kNow + 7200);
  EXPECT_EQ(verified.value().issuedAt, kNow);
}

struct CommandCase {
  std::vector<const char*> args;
  const char* complaint;
};

TEST(TokenCommand, RefusesWhatTheServerWouldRefuse) {
  const std::vector<CommandCase> cases = {
      {{"token", "--room", "r", "--name", "N"}, "--token-secret"},
      {{"token", "--token-secret", "S", "--name", "N"}, "--room"},
      {{"token", "--token-secret", "S", "--room", "a b", "--name", "N"}, "--room"},
      {{"token", "--token-secret", "S", "--room", "r"}, "--name"},
      {{"token", "--token-secret", "S", "--room", "r", "--name", "N", "--role", "admin"}, "--role"},
      {{"token", "--token-secret", "S", "--room", "r", "--name", "N", "--ttl", "soon"}, "--ttl"},
      {{"token", "--token-secret", "S", "--room", "r", "--name", "N", "--ttl", "0"}, "--ttl"},
      {{"token", "--bogus"}, "bogus"},
  };
  for (const auto& c : cases) {
    std::ostringstream out, err;
    EXPECT_EQ(runTokenCommand(static_cast<int>(c.args.size()), c.args.data(), out, err, kNow), 2);
    EXPECT_TRUE(out.str().empty());
    EXPECT_NE(err.str().find(c.complaint), std::string::npos) << err.str();
  }
  const char* help[] = {"token", "--help"};
  std::ostringstream out, err;
  EXPECT_EQ(runTokenCommand(2, help, out, err, kNow), 0);
  EXPECT_NE(out.str().find("--token-secret"), std::string::npos);
  EXPECT_NE(out.str().find("moderator"), std::string::npos);
}

TEST(TokenCommand, DurationsReadAsPeopleWriteThem) {
  EXPECT_EQ(parseDuration("90"), std::chrono::seconds(90));
  EXPECT_EQ(parseDuration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parseDuration("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(parseDuration("1h"), std::chrono::seconds(3600));
  EXPECT_EQ(parseDuration("7d"), std::chrono::seconds(7 * 86400));
  for (const char* bad : {"", "h", "-1h", "1.5h", "1w", "0", "99999999999999"})
    EXPECT_EQ(parseDuration(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace vroom::server
