// Tables for the request headers that pick a static response: Accept-Encoding (q-values,
// `*`, identity, malformed elements) and If-None-Match (lists, `*`, weak comparison).
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http_negotiation.hpp"

namespace vroom::server {
namespace {

constexpr auto kBr = ContentCoding::Brotli;
constexpr auto kGzip = ContentCoding::Gzip;
constexpr auto kIdentity = ContentCoding::Identity;

struct CodingCase {
  std::optional<const char*> header;  // nullopt: no Accept-Encoding at all
  bool haveBr, haveGzip;
  std::optional<ContentCoding> expected;  // nullopt: 406
};

TEST(HttpNegotiation, ChoosesTheCodingTheClientAcceptsAndPrefersTheSmallest) {
  const std::vector<CodingCase> cases = {
      {std::nullopt, true, true, kIdentity},  // did not ask: never compressed
      {"", true, true, kIdentity},
      {"gzip, deflate, br, zstd", true, true, kBr},  // Chromium
      {"gzip, deflate, br", false, true, kGzip},
      {"gzip, deflate, br", false, false, kIdentity},
      {"gzip", true, true, kGzip},
      {"br", false, true, kIdentity},
      {"BR, GZIP", true, true, kBr},  // case does not matter
      {"x-gzip", true, true, kGzip},
      {"gzip;q=1.0, br;q=0.5", true, true, kGzip},  // the client's preference first
      {"gzip;q=0.5, br;q=0.5", true, true, kBr},    // a tie: the smaller one
      {"br;q=0, gzip", true, true, kGzip},
      {"br;q=0.000, gzip;q=0", true, true, kIdentity},
      {"*", true, true, kBr},
      {"*;q=0.5, gzip", true, true, kGzip},
      {"*;q=0", true, true, std::nullopt},
      {"identity", true, true, kIdentity},
      {"identity;q=0.5, gzip;q=0.4", true, true, kIdentity},
      {"identity;q=0", false, false, std::nullopt},
      {"*;q=0, br", true, false, kBr},
      {"identity;q=0, br", true, false, kBr},
      {"*;q=0, identity;q=0.1", true, true, kIdentity},
      {"br;q=2, gzip", true, true, kGzip},             // q above 1: that element is skipped
      {"br;q=0.5000, gzip;q=0.1", true, true, kGzip},  // four decimals: skipped
      {"br;q=abc", true, true, kIdentity},
      {"br;level=5", true, true, kIdentity},  // no such parameter
      {" ,br ; q=0.9 ,, ", true, true, kBr},  // empty elements and whitespace
      {"deflate, zstd", true, true, kIdentity},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header.value_or("(no header)"));
    const auto header = c.header ? std::optional<std::string_view>(*c.header) : std::nullopt;
    EXPECT_EQ(chooseCoding(header, c.haveBr, c.haveGzip), c.expected);
  }
}

struct MatchCase {
  const char* ifNoneMatch;
  bool matches;
};

TEST(HttpNegotiation, IfNoneMatchUsesWeakComparison) {
  const std::string etag = "\"abc123\"";
  const std::vector<MatchCase> cases = {
      {"\"abc123\"", true},
      {"W/\"abc123\"", true},  // weak comparison for GET and HEAD
      {"*", true},
      {" * ", true},
      {"\"other\", \"abc123\"", true},
      {"\"other\",W/\"abc123\" ", true},
      {"\"other\"", false},
      {"\"abc1234\"", false},
      {"abc123", false},  // unquoted: malformed
      {"\"abc123", false},
      {"\"abc123\" junk", false},
      {"\"abc123\", *", false},  // `*` only on its own
      {"", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ifNoneMatch);
    EXPECT_EQ(ifNoneMatchMatches(c.ifNoneMatch, etag), c.matches);
  }
}

TEST(HttpNegotiation, CodingTokensAreTheWireNames) {
  EXPECT_EQ(codingToken(kBr), "br");
  EXPECT_EQ(codingToken(kGzip), "gzip");
  EXPECT_EQ(codingToken(kIdentity), "identity");
}

}  // namespace
}  // namespace vroom::server
