// Encoding and checked decoding of peer signal payloads (nlohmann is used without
// exceptions: every field's type is checked before it is read).
#include "signal_payload.hpp"

#include "overloaded.hpp"

namespace vroom {

namespace {

const nlohmann::json* field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::optional<SessionDescription> decodeDescription(const nlohmann::json& value) {
  if (!value.is_object()) return std::nullopt;
  const auto* type = field(value, "type");
  const auto* sdp = field(value, "sdp");
  if (!type || !type->is_string() || !sdp || !sdp->is_string()) return std::nullopt;
  auto parsed = sdpTypeFromString(type->get_ref<const std::string&>());
  if (!parsed || *parsed == SdpType::Rollback) return std::nullopt;
  return SessionDescription{*parsed, sdp->get<std::string>()};
}

std::optional<CandidatePayload> decodeCandidate(const nlohmann::json& value) {
  if (value.is_null()) return CandidatePayload{};
  if (!value.is_object()) return std::nullopt;
  const auto* line = field(value, "candidate");
  if (!line || !line->is_string()) return std::nullopt;
  IceCandidate candidate;
  candidate.candidate = line->get<std::string>();
  if (candidate.candidate.empty()) return CandidatePayload{};  // the browser's own spelling
  if (const auto* mid = field(value, "sdpMid"); mid && !mid->is_null()) {
    if (!mid->is_string()) return std::nullopt;
    candidate.sdpMid = mid->get<std::string>();
  }
  if (const auto* index = field(value, "sdpMLineIndex"); index && !index->is_null()) {
    if (!index->is_number_integer()) return std::nullopt;
    const auto number = index->get<std::int64_t>();
    if (number < 0 || number > 65535) return std::nullopt;
    candidate.sdpMLineIndex = static_cast<int>(number);
  }
  if (const auto* ufrag = field(value, "usernameFragment"); ufrag && !ufrag->is_null()) {
    if (!ufrag->is_string()) return std::nullopt;
    candidate.usernameFragment = ufrag->get<std::string>();
  }
  return CandidatePayload{std::move(candidate)};
}

}  // namespace

nlohmann::json encodeSignal(const SignalPayload& payload) {
  return std::visit(
      Overloaded{
          [](const SessionDescription& d) {
            return nlohmann::json{
                {"description", {{"type", std::string(toString(d.type))}, {"sdp", d.sdp}}}};
          },
          [](const NewConnectionOffer& n) {
            return nlohmann::json{
                {"description", {{"type", std::string(toString(n.offer.type))}, {"sdp", n.offer.sdp}}},
                {"newConnection", true}};
          },
          [](const CandidatePayload& c) {
            if (!c.candidate) return nlohmann::json{{"candidate", nullptr}};
            nlohmann::json line = {{"candidate", c.candidate->candidate},
                                   {"sdpMid", c.candidate->sdpMid},
                                   {"usernameFragment", c.candidate->usernameFragment}};
            if (c.candidate->sdpMLineIndex >= 0) line["sdpMLineIndex"] = c.candidate->sdpMLineIndex;
            return nlohmann::json{{"candidate", std::move(line)}};
          },
      },
      payload);
}

std::optional<SignalPayload> decodeSignal(const nlohmann::json& data) {
  if (!data.is_object()) return std::nullopt;
  const auto* description = field(data, "description");
  const auto* candidate = field(data, "candidate");
  if ((description != nullptr) == (candidate != nullptr)) return std::nullopt;
  if (description) {
    auto decoded = decodeDescription(*description);
    if (!decoded) return std::nullopt;
    // Only an offer can start a new connection; the flag on anything else means nothing.
    const auto* fresh = field(data, "newConnection");
    if (fresh && fresh->is_boolean() && fresh->get<bool>() && decoded->type == SdpType::Offer)
      return SignalPayload{NewConnectionOffer{std::move(*decoded)}};
    return SignalPayload{std::move(*decoded)};
  }
  auto decoded = decodeCandidate(*candidate);
  if (!decoded) return std::nullopt;
  return SignalPayload{std::move(*decoded)};
}

}  // namespace vroom
