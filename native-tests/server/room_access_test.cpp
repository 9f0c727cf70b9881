// Who may enter a room and as whom, without a network: the names the server assigns (NFC,
// invisible characters, duplicates), what a viewer may claim, clean chat; join tokens,
// passwords, locks and bans follow the same table-driven style.
#include <set>

#include <gtest/gtest.h>

#include "join_token.hpp"
#include "name_policy.hpp"
#include "registry_harness.hpp"

namespace vroom::server::testing {
namespace {

using protocol::ErrorCode;

json media(bool audio, bool video, bool screen) {
  return json{{"type", "media"},
              {"media", {{"audio", audio}, {"video", video}, {"screen", screen}}}};
}

// ---- names ----

struct NameCase {
  const char* label;
  std::string requested;
  std::optional<std::string> stored;  // nullopt: refused
};

TEST(NamePolicy, CanonicalNamesAreNfcAndVisible) {
  const std::vector<NameCase> cases = {
      {"plain", "Bob", "Bob"},
      {"combining accent composes",
       "Bo\xCC\x81"
       "b",
       "B\xC3\xB3"
       "b"},
      {"already composed",
       "B\xC3\xB3"
       "b",
       "B\xC3\xB3"
       "b"},
      {"hangul jamo compose", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C"},
      {"emoji", "\xF0\x9F\x90\xB1", "\xF0\x9F\x90\xB1"},
      {"only combining marks", "\xCC\x81\xCC\x82", std::nullopt},
      {"hangul filler", "\xE3\x85\xA4", std::nullopt},
      {"braille blank", "\xE2\xA0\x80\xE2\xA0\x80", std::nullopt},
      {"private use", "\xEE\x80\x80", std::nullopt},
      {"filler beside a letter",
       "\xE3\x85\xA4"
       "A",
       "\xE3\x85\xA4"
       "A"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(canonicalName(c.requested), c.stored);
  }
}

TEST(NamePolicy, DuplicatesGetANumberThatFitsTheLimit) {
  EXPECT_EQ(distinctName("Bob", {}), "Bob");
  EXPECT_EQ(distinctName("Bob", {"Ann"}), "Bob");
  EXPECT_EQ(distinctName("Bob", {"Bob"}), "Bob (2)");
  EXPECT_EQ(distinctName("Bob", {"Bob", "Bob (2)"}), "Bob (3)");
  EXPECT_EQ(distinctName("Bob", {"Bob (2)"}), "Bob");
  EXPECT_EQ(distinctName("bob", {"Bob"}), "bob");  // case tells them apart
  // Fullwidth letters fold to the plain ones (NFKC): they look the same.
  EXPECT_EQ(distinctName("\xEF\xBC\xA2ob", {"Bob"}), "\xEF\xBC\xA2ob (2)");
  const std::string forty(40, 'n');
  const std::string numbered = distinctName(forty, {forty});
  EXPECT_EQ(numbered, std::string(36, 'n') + " (2)");
  EXPECT_EQ(protocol::codePointCount(numbered), protocol::kMaxNameChars);
  std::string wide;  // 40 two-byte letters: the cut is made at a code point, never inside one
  for (int i = 0; i < 40; ++i) wide += "\xC3\xA9";
  const std::string cut = distinctName(wide, {wide});
  EXPECT_TRUE(protocol::isValidUtf8(cut));
  EXPECT_EQ(protocol::codePointCount(cut), protocol::kMaxNameChars);
}

// The black-box case of issue 19: six versions of "Bob" that looked alike were all accepted
// as they were. Now each one arrives stripped, composed and numbered.
TEST(RegistryNames, LookAlikesAreStrippedComposedAndNumbered) {
  Harness h;
  h.create("r", "Bob");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\xE2\x80\xAE"
       "boB",
       "boB"},  // U+202E override: shows what it is
      {"B\xE2\x80\x8B"
       "ob",
       "Bob (2)"},  // U+200B zero-width space
      {"Bo\xCC\x81"
       "b",
       "B\xC3\xB3"
       "b"},  // combining accent: composed
      {"B\xC3\xB3"
       "b",
       "B\xC3\xB3"
       "b (2)"},
      {"Bob", "Bob (3)"},
      {" Bob\xE2\x81\xA0", "Bob (4)"},  // blanks and a word joiner
  };
  for (const auto& [requested, assigned] : cases) {
    SCOPED_TRACE(assigned);
    Client& c = h.hello();
    h.send(c, json{{"type", "join"}, {"room", "r"}, {"name", requested}});
    const json joined = c.last();
    ASSERT_EQ(joined["type"], "joined") << joined.dump();
    EXPECT_EQ(joined["self"]["name"], assigned);
  }
  std::set<std::string> keys;
  for (const auto& member : h.registry.members("r")) keys.insert(nameKey(member.name));
  EXPECT_EQ(keys.size(), 7u);
}

TEST(RegistryNames, InvisibleNamesAreRefused) {
  Harness h;
  for (const std::string name : {"\xE2\x80\x8B", "\xE3\x85\xA4", "\xCC\x81", "\xE2\x80\xAE "}) {
    Client& c = h.hello();
    h.send(c, json{{"type", "join"}, {"room", "r"}, {"name", name}});
    const json reply = c.last();
    EXPECT_EQ(reply["type"], "error");
    EXPECT_EQ(reply["code"], "invalid_name");
    EXPECT_FALSE(c.sink.closeCode.has_value());  // a user error: the socket stays open
  }
  EXPECT_EQ(h.registry.roomCount(), 0u);
}

TEST(RegistryNames, AWaitingViewerIsNumberedWhenLetIn) {
  Harness h;
  Client& v1 = h.hello();
  Client& v2 = h.hello();
  for (Client* v : {&v1, &v2})
    h.send(*v, json{{"type", "join"},
                    {"room", "show"},
                    {"name", "Vi"},
                    {"role", "viewer"},
                    {"wait", true}});
  Client& host = h.hello();
  h.send(host, json{{"type", "create"}, {"room", "show"}, {"name", "Vi"}, {"mode", "broadcast"}});
  EXPECT_EQ(host.take().front()["self"]["name"], "Vi");
  EXPECT_EQ(v1.last()["self"]["name"], "Vi (2)");
  EXPECT_EQ(v2.last()["self"]["name"], "Vi (3)");
}

// ---- chat ----

TEST(RegistryChat, ControlAndBidiCharactersNeverReachTheRoom) {
  Harness h;
  Client& a = h.create("r", "Ann");
  Client& b = h.join("r", "Bob");
  h.drainAll();
  h.send(a, json{{"type", "chat"},
                 {"text", std::string("a\0b\x1b[31mred\x07 \xE2\x80\xAE"
                                      "cba",
                                      20)}});
  const json relayed = b.last();
  EXPECT_EQ(relayed["type"], "chat");
  EXPECT_EQ(relayed["text"], "ab[31mred cba");
}

// ---- what a viewer may claim ----

TEST(RegistryViewers, EnterSendingNothingAndCannotClaimMedia) {
  Harness h;
  Client& host = h.create("show", "Host", "broadcast");
  Client& viewer = h.join("show", "V", "viewer");
  const json announced = host.last();
  EXPECT_EQ(announced["type"], "peer-joined");
  EXPECT_EQ(announced["peer"]["media"],
            (json{{"audio", false}, {"video", false}, {"screen", false}}));
  for (const json& claim : {media(false, true, false), media(false, false, true),
                            media(true, false, false), media(true, true, true)}) {
    SCOPED_TRACE(claim.dump());
    h.send(viewer, claim);
    const json reply = viewer.last();
    EXPECT_EQ(reply["type"], "error");
    EXPECT_EQ(reply["code"], "not_allowed");
    EXPECT_EQ(reply["offendingType"], "media");
    EXPECT_TRUE(host.take().empty());  // nothing reached the host
  }
  EXPECT_EQ(h.registry.members("show").at(1).media, (protocol::MediaState{false, false, false}));
  h.send(viewer, media(false, false, false));  // the truth is fine
  EXPECT_EQ(host.last()["type"], "peer-media");
}

// ---- join tokens ----

constexpr std::int64_t kNow = 1'700'000'000;  // the harness's clock, in Unix seconds
constexpr const char* kSecret = "correct horse battery staple";

RegistryConfig tokenConfig() {
  RegistryConfig config;
  config.tokenSecret = kSecret;
  config.epochOffsetMs = kNow * 1000 - 1'000'000;  // the harness starts at steady 1000 s
  return config;
}

std::string token(const std::string& room, const std::string& name, TokenRole role,
                  std::int64_t exp = kNow + 3600, const std::string& sub = "",
                  const std::string& secret = kSecret) {
  JoinClaims claims;
  claims.room = room;
  claims.name = name;
  claims.role = role;
  claims.expiresAt = exp;
  claims.subject = sub;
  return mintJoinToken(claims, secret);
}

json enter(const char* type, const std::string& room, const std::string& tok,
           json extra = json::object()) {
  json m{{"type", type}, {"room", room}, {"name", "typed"}};
  if (!tok.empty()) m["token"] = tok;
  m.update(extra);
  return m;
}

struct TokenCase {
  const char* label;
  json message;
  const char* expected;  // an error code, or "joined"
};

TEST(RegistryTokens, EveryCreateAndJoinNeedsAValidTokenForThatRoom) {
  JoinClaims none;
  none.room = "r";
  none.name = "N";
  none.expiresAt = kNow + 60;
  const std::string unsigned_ =
      base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
      base64UrlEncode(R"({"room":"r","name":"N","role":"member","exp":1800000000})") + ".";
  JoinClaims early = none;
  early.notBefore = kNow + 600;
  const std::vector<TokenCase> cases = {
      {"no token", enter("join", "r", ""), "token_required"},
      {"not a JWT", enter("join", "r", "abc"), "token_invalid"},
      {"another secret", enter("join", "r", token("r", "N", TokenRole::Member, kNow + 60, "", "x")),
       "token_invalid"},
      {"alg none", enter("join", "r", unsigned_), "token_invalid"},
      {"expired", enter("join", "r", token("r", "N", TokenRole::Member, kNow - 120)),
       "token_expired"},
      {"not valid yet", enter("join", "r", mintJoinToken(early, kSecret)), "token_expired"},
      {"another room", enter("join", "r", token("s", "N", TokenRole::Member)), "token_wrong_room"},
      {"viewer joins a conference", enter("join", "r", token("r", "N", TokenRole::Viewer)),
       "not_allowed"},
      {"member goes live",
       enter("create", "r", token("r", "N", TokenRole::Member), json{{"mode", "broadcast"}}),
       "not_allowed"},
      {"within the leeway", enter("join", "r", token("r", "N", TokenRole::Member, kNow - 30)),
       "joined"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Harness h(tokenConfig());
    Client& client = h.hello();
    h.send(client, c.message);
    const json reply = client.last();
    if (std::string(c.expected) == "joined") {
      EXPECT_EQ(reply["type"], "joined") << reply.dump();
    } else {
      EXPECT_EQ(reply["type"], "error");
      EXPECT_EQ(reply["code"], c.expected) << reply.dump();
      EXPECT_FALSE(client.sink.closeCode.has_value());
      EXPECT_EQ(h.registry.roomCount(), 0u);
    }
  }
}

TEST(RegistryTokens, RolesDecideWhatTheHolderMayDoAndTheNameIsTheTokens) {
  Harness h(tokenConfig());
  Client& host = h.hello();
  h.send(host, enter("create", "show", token("show", "Hana", TokenRole::Host),
                     json{{"mode", "broadcast"}}));
  const json live = host.last();
  ASSERT_EQ(live["type"], "joined") << live.dump();
  EXPECT_EQ(live["self"]["name"], "Hana");  // not "typed"
  EXPECT_EQ(live["moderators"], json::array({host.peerId}));
  Client& viewer = h.hello();
  h.send(viewer,
         enter("join", "show", token("show", "Vic", TokenRole::Viewer), json{{"role", "viewer"}}));
  EXPECT_EQ(viewer.last()["self"]["role"], "viewer");

  Client& member = h.hello();
  h.send(member, enter("join", "team", token("team", "Mo", TokenRole::Member)));
  const json joined = member.last();
  EXPECT_EQ(joined["self"]["name"], "Mo");
  EXPECT_EQ(joined["moderators"], json::array({member.peerId}));  // the creator moderates
  Client& moderator = h.hello();
  h.send(moderator, enter("join", "team", token("team", "Mod", TokenRole::Moderator)));
  EXPECT_EQ(moderator.last()["moderators"], json::array({member.peerId, moderator.peerId}));
  const json told = member.last();
  EXPECT_EQ(told["type"], "room-state");
  EXPECT_EQ(told["moderators"], json::array({member.peerId, moderator.peerId}));
}

// ---- passwords ----

TEST(RegistryPasswords, TheFirstPersonSetsOneAndOthersMustGiveIt) {
  Harness h;
  Client& ann = h.helloFrom("10.0.0.1");
  h.send(ann, json{{"type", "join"}, {"room", "r"}, {"name", "Ann"}, {"password", "open sesame"}});
  ASSERT_EQ(ann.last()["type"], "joined");
  const std::vector<std::pair<json, const char*>> attempts = {
      {json::object(), "password_required"},
      {json{{"password", "Open sesame"}}, "wrong_password"},
      {json{{"password", "open sesame"}}, "joined"},
  };
  for (const auto& [extra, expected] : attempts) {
    SCOPED_TRACE(expected);
    Client& bob = h.helloFrom("10.0.0.2");
    json m{{"type", "join"}, {"room", "r"}, {"name", "Bob"}};
    m.update(extra);
    h.send(bob, m);
    const json reply = bob.last();
    EXPECT_EQ(
        reply.value("type", "") == "error" ? reply.value("code", "") : reply.value("type", ""),
        expected)
        << reply.dump();
  }
  // Nothing of the password is kept in clear, not even in the state a restart writes.
  EXPECT_EQ(h.registry.exportState().dump().find("open sesame"), std::string::npos);
}

TEST(RegistryPasswords, WrongGuessesAreLimitedPerAddress) {
  Harness h;
  Client& ann = h.helloFrom("10.0.0.1");
  h.send(ann, json{{"type", "join"}, {"room", "r"}, {"name", "Ann"}, {"password", "right"}});
  Client& guesser = h.helloFrom("10.9.9.9");
  const auto guess = [&](Client& c, const char* password) {
    h.send(c, json{{"type", "join"}, {"room", "r"}, {"name", "G"}, {"password", password}});
    const json reply = c.last();
    return reply.value("type", "") == "error" ? reply.value("code", "") : reply.value("type", "");
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(guess(guesser, "wrong"), "wrong_password") << i;
  // The budget is spent: even the right password is not looked at now.
  EXPECT_EQ(guess(guesser, "right"), "too_many_attempts");
  Client& other = h.helloFrom("10.0.0.3");  // another address is not affected
  EXPECT_EQ(guess(other, "right"), "joined");
  h.now += std::chrono::seconds(13);  // one guess more after the refill
  Client& later = h.helloFrom("10.9.9.9");
  EXPECT_EQ(guess(later, "right"), "joined");
}

json goLive(const char* name, const char* password) {
  json m{{"type", "create"}, {"room", "launch"}, {"name", name}, {"mode", "broadcast"}};
  if (password) m["password"] = password;
  return m;
}

TEST(RegistryPasswords, ABroadcastIdIsReservedForItsHostPassword) {
  RegistryConfig config;
  config.reservationTtl = std::chrono::hours(1);
  Harness h(config);
  Client& host = h.hello();
  h.send(host, goLive("Host", "ours"));
  ASSERT_EQ(host.last()["type"], "joined");
  Client& viewer = h.join("launch", "V", "viewer");  // watching needs no password
  h.send(host, json{{"type", "leave"}});
  EXPECT_EQ(viewer.last()["type"], "room-closed");

  // Between two shows nobody squats the id: not with a plain join, nor by going live.
  const auto attempt = [&](json m) {
    Client& c = h.hello();
    h.send(c, m);
    const json reply = c.last();
    return reply.value("type", "") == "error" ? reply.value("code", "") : reply.value("type", "");
  };
  EXPECT_EQ(attempt(json{{"type", "join"}, {"room", "launch"}, {"name", "Squat"}}),
            "password_required");
  EXPECT_EQ(attempt(goLive("Squat", nullptr)), "password_required");
  EXPECT_EQ(attempt(goLive("Squat", "guess")), "wrong_password");
  EXPECT_EQ(h.registry.roomCount(), 0u);
  EXPECT_EQ(attempt(goLive("Host", "ours")), "joined");
  // An id never reserved is first come, first served, as before.
  EXPECT_EQ(attempt(json{{"type", "join"}, {"room", "free"}, {"name", "Any"}}), "joined");
}

TEST(RegistryPasswords, AReservationLapsesAfterItsTime) {
  RegistryConfig config;
  config.reservationTtl = std::chrono::seconds(60);
  Harness h(config);
  Client& host = h.hello();
  h.send(host, goLive("Host", "ours"));
  h.send(host, json{{"type", "leave"}});
  h.now += std::chrono::seconds(61);
  h.registry.expire(h.now);
  Client& other = h.hello();
  h.send(other, json{{"type", "join"}, {"room", "launch"}, {"name", "Next"}});
  EXPECT_EQ(other.last()["type"], "joined");
}

TEST(RegistryPasswords, TokenServersIgnorePasswords) {
  Harness h(tokenConfig());
  Client& a = h.hello();
  h.send(a, enter("join", "r", token("r", "A", TokenRole::Member), json{{"password", "p"}}));
  ASSERT_EQ(a.last()["type"], "joined");
  Client& b = h.hello();
  h.send(b, enter("join", "r", token("r", "B", TokenRole::Member)));
  EXPECT_EQ(b.last()["type"], "joined");
}

}  // namespace
}  // namespace vroom::server::testing
