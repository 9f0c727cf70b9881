// What peers put in a `signal` message's opaque `data`: a session description or an ICE
// candidate (or end-of-candidates). Decoding never throws; anything malformed is rejected.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "peer_connection.hpp"

namespace vroom {

struct CandidatePayload {
  std::optional<IceCandidate> candidate;  // nullopt: end-of-candidates
  bool operator==(const CandidatePayload&) const = default;
};

// An offer from a new peer connection that replaces the sender's old one (its old one
// gathered no candidate): the receiver replaces its own connection and answers there.
struct NewConnectionOffer {
  SessionDescription offer;
  bool operator==(const NewConnectionOffer&) const = default;
};

using SignalPayload = std::variant<SessionDescription, CandidatePayload, NewConnectionOffer>;

// {"description": {"type": "offer", "sdp": "..."}}
// {"description": {"type": "offer", "sdp": "..."}, "newConnection": true}
// {"candidate": {"candidate": "...", "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": ""}}
// {"candidate": null}  (end-of-candidates)
nlohmann::json encodeSignal(const SignalPayload& payload);
std::optional<SignalPayload> decodeSignal(const nlohmann::json& data);

}  // namespace vroom
