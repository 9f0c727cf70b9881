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
                         std::function<void(std::optional<std::string> owner)> done) = 0;
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
