// Moving a peer between the registries of two cluster nodes (room_registry.hpp, "Cluster
// hand-off"): release() on the node that answered its hello, adopt() on its room's node.
#include "room_registry.hpp"

namespace vroom::server {

std::optional<RoomRegistry::Handoff> RoomRegistry::release(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end() || !it->second.session) return std::nullopt;
  const auto session = sessions_.find(it->second.session->info.id);
  Session& peer = session->second;
  if (!peer.room.empty() || !peer.waitingFor.empty() || !peer.queued.empty()) return std::nullopt;
  Handoff out{peer.info.id, peer.resumeToken, it->second.address, peer.sfu};
  tokens_.erase(peer.resumeToken);
  if (!peer.previousToken.empty()) tokens_.erase(peer.previousToken);
  sessions_.erase(session);
  connections_.erase(it);
  return out;
}

ConnectionId RoomRegistry::adopt(ClientSink& sink, TimePoint now, const Handoff& handoff) {
  now_ = now;
  if (handoff.peerId.empty() || sessions_.count(handoff.peerId) != 0 ||
      tokens_.count(handoff.resumeToken) != 0)
    return 0;
  const ConnectionId id = connect(sink, now, handoff.address);
  Session& session = sessions_[handoff.peerId];
  connections_.at(id).session = &session;
  session.info.id = handoff.peerId;
  session.resumeToken = handoff.resumeToken;
  session.sfu = handoff.sfu;
  session.conn = id;
  session.iceRenewAt = now + config_.iceRenewEvery;
  if (!handoff.resumeToken.empty()) tokens_[handoff.resumeToken] = &session;
  return id;
}

std::string RoomRegistry::addressOf(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? std::string() : it->second.address;
}

std::vector<std::pair<std::string, std::string>> RoomRegistry::resumeTokens() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [token, session] : tokens_)
    if (!session->room.empty()) out.emplace_back(token, session->room);
  return out;
}

std::vector<std::string> RoomRegistry::roomIds() const {
  std::vector<std::string> out;
  out.reserve(rooms_.size());
  for (const auto& entry : rooms_) out.push_back(entry.first);
  return out;
}

}  // namespace vroom::server
