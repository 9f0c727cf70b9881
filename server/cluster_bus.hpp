// What the cluster (cluster.hpp) needs from its message bus, as operations rather than Redis
// commands, so a faithful in-process stand-in can take Redis's place in simulations. Every
// call and every callback runs on the bus's thread (the first io thread).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vroom::server {

// The answer to a claim: who owns the room, and for the node that owns it now, the room's
// state as its owner last saved it (saveRoom; empty when none), so a node that takes a room
// over from a dead owner rebuilds it in the same atomic step.
struct RoomClaim {
  std::string owner;
  std::string state;
};
inline std::optional<std::string> ownerOf(const std::optional<RoomClaim>& claim) {
  return claim ? std::optional<std::string>(claim->owner) : std::nullopt;
}

class ClusterBus {
 public:
  using Done = std::function<void(bool ok)>;
  virtual ~ClusterBus() = default;

  virtual bool up() const = 0;
  // Called (on the bus thread) whenever the bus comes up again after being down.
  virtual void onUp(std::function<void()> f) = 0;
  // The room's owner: `node` if no live node owned it (atomically: of two nodes claiming
  // at once, one wins and both learn its name). An owner counts as live while its heartbeat
  // key exists. nullopt: the bus is down.
  virtual void claimRoom(const std::string& room, const std::string& node,
                         std::chrono::milliseconds ttl,
                         std::function<void(std::optional<RoomClaim> claim)> done) = 0;
  // A room's state (RoomRegistry::exportState of that room), kept for `ttl`; written only
  // while `node` owns the room, so a node that lost it cannot overwrite its new owner's.
  virtual void saveRoom(const std::string& room, const std::string& node, std::string state,
                        std::chrono::milliseconds ttl) = 0;
  // The room closed: its saved state goes (again only from its owner).
  virtual void dropRoom(const std::string& room, const std::string& node) = 0;
  // Extends ownership of the rooms this node still owns (ones another node took are left).
  virtual void keepRooms(const std::vector<std::string>& rooms, const std::string& node,
                         std::chrono::milliseconds ttl) = 0;
  virtual void heartbeat(const std::string& node, std::chrono::milliseconds ttl) = 0;
  // Which of `nodes` have a live heartbeat (nullopt: the bus is down).
  virtual void liveNodes(const std::vector<std::string>& nodes,
                         std::function<void(std::optional<std::vector<bool>>)> done) = 0;
  // Resume tokens: which room a token's peer is in, kept for `ttl`.
  virtual void putResume(const std::vector<std::pair<std::string, std::string>>& tokenRooms,
                         std::chrono::milliseconds ttl) = 0;
  virtual void roomOfResume(const std::string& token,
                            std::function<void(std::optional<std::string> room)> done) = 0;
  // Pub/sub, one channel per node: messages are delivered in the order published.
  virtual void publish(const std::string& node, std::string message) = 0;
  virtual void listen(const std::string& node, std::function<void(std::string_view)> onMessage) = 0;
};

}  // namespace vroom::server
