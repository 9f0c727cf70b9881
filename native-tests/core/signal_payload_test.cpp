// Round trips and rejection table for the peer signal payload codec.
#include "signal_payload.hpp"

#include <gtest/gtest.h>

namespace vroom {
namespace {

TEST(SignalPayload, RoundTripsDescriptionsAndCandidates) {
  const std::vector<SignalPayload> cases = {
      SessionDescription{SdpType::Offer, "v=0\r\n"},
      SessionDescription{SdpType::Answer, ""},
      NewConnectionOffer{SessionDescription{SdpType::Offer, "v=0\r\n"}},
      CandidatePayload{IceCandidate{"candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0, "abcd"}},
      CandidatePayload{IceCandidate{"candidate:2", "1", -1, ""}},
      CandidatePayload{std::nullopt},
  };
  for (const auto& payload : cases) {
    auto decoded = decodeSignal(encodeSignal(payload));
    ASSERT_TRUE(decoded) << encodeSignal(payload).dump();
    EXPECT_EQ(*decoded, payload) << encodeSignal(payload).dump();
  }
}

TEST(SignalPayload, EmptyCandidateLineMeansEndOfCandidates) {
  auto decoded = decodeSignal(nlohmann::json::parse(R"({"candidate":{"candidate":""}})"));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::get<CandidatePayload>(*decoded).candidate, std::nullopt);
}

TEST(SignalPayload, NewConnectionOnlyMarksOffers) {
  const auto offer = decodeSignal(nlohmann::json::parse(
      R"({"description":{"type":"offer","sdp":"x"},"newConnection":true})"));
  ASSERT_TRUE(offer);
  EXPECT_TRUE(std::holds_alternative<NewConnectionOffer>(*offer));
  const char* plain[] = {
      R"({"description":{"type":"answer","sdp":"x"},"newConnection":true})",
      R"({"description":{"type":"offer","sdp":"x"},"newConnection":false})",
      R"({"description":{"type":"offer","sdp":"x"},"newConnection":1})",
  };
  for (const char* text : plain) {
    const auto decoded = decodeSignal(nlohmann::json::parse(text));
    ASSERT_TRUE(decoded) << text;
    EXPECT_TRUE(std::holds_alternative<SessionDescription>(*decoded)) << text;
  }
}

TEST(SignalPayload, RejectsMalformedPayloads) {
  const char* cases[] = {
      R"(null)",
      R"([])",
      R"({})",
      R"({"description":{"type":"offer"}})",
      R"({"description":{"type":"rollback","sdp":""}})",
      R"({"description":{"type":"bogus","sdp":""}})",
      R"({"description":{"type":1,"sdp":""}})",
      R"({"description":"offer"})",
      R"({"candidate":5})",
      R"({"candidate":{"candidate":3}})",
      R"({"candidate":{"candidate":"c","sdpMLineIndex":"0"}})",
      R"({"candidate":{"candidate":"c","sdpMLineIndex":-1}})",
      R"({"candidate":{"candidate":"c","sdpMid":7}})",
      R"({"candidate":{"candidate":"c","usernameFragment":[]}})",
      R"({"candidate":null,"description":{"type":"offer","sdp":""}})",
  };
  for (const char* text : cases) EXPECT_FALSE(decodeSignal(nlohmann::json::parse(text))) << text;
}

}  // namespace
}  // namespace vroom
