// What the peer connection seam computes itself (the enums' names are tables in the header).
#include "peer_connection.hpp"

namespace vroom {

std::string_view mediaPath(const PeerStats& stats) {
  if (stats.localCandidateType.empty() && stats.remoteCandidateType.empty()) return "";
  const bool relayed = stats.localCandidateType == "relay" || stats.remoteCandidateType == "relay";
  return relayed ? "relayed" : "direct";
}

}  // namespace vroom
