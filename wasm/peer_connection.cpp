// Names of the peer connection enums, as the browser spells them (the bridge maps strings
// to enums with these, logs print them).
#include "peer_connection.hpp"

namespace vroom {

std::string_view toString(SdpType type) {
  switch (type) {
    case SdpType::Offer:
      return "offer";
    case SdpType::Answer:
      return "answer";
    case SdpType::Pranswer:
      return "pranswer";
    case SdpType::Rollback:
      return "rollback";
  }
  return "offer";
}

std::optional<SdpType> sdpTypeFromString(std::string_view text) {
  for (SdpType type : {SdpType::Offer, SdpType::Answer, SdpType::Pranswer, SdpType::Rollback})
    if (toString(type) == text) return type;
  return std::nullopt;
}

std::string_view toString(SignalingState state) {
  switch (state) {
    case SignalingState::Stable:
      return "stable";
    case SignalingState::HaveLocalOffer:
      return "have-local-offer";
    case SignalingState::HaveRemoteOffer:
      return "have-remote-offer";
    case SignalingState::HaveLocalPranswer:
      return "have-local-pranswer";
    case SignalingState::HaveRemotePranswer:
      return "have-remote-pranswer";
    case SignalingState::Closed:
      return "closed";
  }
  return "closed";
}

std::string_view toString(PeerConnectionState state) {
  switch (state) {
    case PeerConnectionState::New:
      return "new";
    case PeerConnectionState::Connecting:
      return "connecting";
    case PeerConnectionState::Connected:
      return "connected";
    case PeerConnectionState::Disconnected:
      return "disconnected";
    case PeerConnectionState::Failed:
      return "failed";
    case PeerConnectionState::Closed:
      return "closed";
  }
  return "closed";
}

std::string_view toString(IceConnectionState state) {
  switch (state) {
    case IceConnectionState::New:
      return "new";
    case IceConnectionState::Checking:
      return "checking";
    case IceConnectionState::Connected:
      return "connected";
    case IceConnectionState::Completed:
      return "completed";
    case IceConnectionState::Disconnected:
      return "disconnected";
    case IceConnectionState::Failed:
      return "failed";
    case IceConnectionState::Closed:
      return "closed";
  }
  return "closed";
}

std::string_view toString(MediaKind kind) {
  return kind == MediaKind::Audio ? "audio" : "video";
}

std::string_view toString(Direction direction) {
  switch (direction) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "inactive";
}

std::string_view mediaPath(const PeerStats& stats) {
  if (stats.localCandidateType.empty() && stats.remoteCandidateType.empty()) return "";
  const bool relayed = stats.localCandidateType == "relay" || stats.remoteCandidateType == "relay";
  return relayed ? "relayed" : "direct";
}

}  // namespace vroom
