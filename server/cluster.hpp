// The cluster path (--redis): rooms shared by several nodes, the way LiveKit shares them.
// Each room lives in the registry of one node, its owner (claimed atomically through the
// ClusterBus); a client connected to another node has its messages relayed to the owner and
// the owner's frames relayed back, over the owner's and the client's node channels. A client
// says hello to the node it reached, and moves to its room's owner (RoomRegistry::release /
// adopt) when it creates or joins; a resuming client is sent to the owner of the room its
// token belongs to. Heartbeats tell each node which others are alive. The owner saves each
// room's state in Redis as it changes; when the owner dies, the next node to claim the room
// rebuilds it from that state and its members resume there with their peer ids. Without
// --redis none of this exists and the WebSocket sessions talk to the registry directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster_bus.hpp"
#include "room_registry.hpp"

namespace vroom::server {

class SharedRegistry;

struct ClusterStats {
  std::atomic<std::uint64_t> relayedOut = 0;  // messages published to other nodes
  std::atomic<std::uint64_t> relayedIn = 0;   // messages received from other nodes
  std::atomic<std::uint64_t> handedOff = 0;   // clients moved to their room's owner
  std::atomic<std::uint64_t> hosted = 0;      // clients of other nodes in rooms owned here (gauge)
  std::atomic<std::uint64_t> remote = 0;      // clients here in rooms owned elsewhere (gauge)
  std::atomic<std::uint64_t> nodesLost = 0;   // peers' nodes whose heartbeat ran out
  std::atomic<std::uint64_t> busDownLocal = 0;  // rooms entered locally because the bus was down
  std::atomic<std::uint64_t> roomsSaved = 0;     // room states written to the bus
  std::atomic<std::uint64_t> roomsTakenOver = 0;  // rooms rebuilt here from a dead owner's state
  std::atomic<std::uint64_t> held = 0;     // messages held while the bus was down (gauge)
  std::atomic<std::uint64_t> dropped = 0;  // messages to other nodes lost: the hold was full
};

class Cluster {
 public:
  using LinkId = std::uint64_t;
  static constexpr auto kTick = std::chrono::milliseconds(500);
  static constexpr auto kHeartbeatTtl = std::chrono::seconds(3);
  static constexpr auto kRoomTtl = std::chrono::seconds(10);
  static constexpr std::size_t kMaxPending = 256;  // texts held while the owner is looked up
  // Room states: saved this long after a change (changes close together are saved once), and
  // every room exported again at least this often (what expiry changes, nobody marks).
  static constexpr auto kSaveDelay = std::chrono::milliseconds(50);
  static constexpr int kTicksPerSave = 4;
  // Messages for other nodes held while the bus is down, sent in order once it is back (after
  // kReplayAfter, so that every node has subscribed again); past these caps they are dropped.
  static constexpr std::size_t kMaxHeld = 20000;
  static constexpr std::size_t kMaxHeldBytes = 16 * 1024 * 1024;
  static constexpr auto kReplayAfter = std::chrono::seconds(1);

  // `ioc`: the bus's thread (the first io thread), where every bus call is made.
  Cluster(ClusterBus& bus, SharedRegistry& registry, boost::asio::io_context& ioc,
          std::string nodeId, std::chrono::milliseconds resumeWindow);
  ~Cluster();
  void start();  // on the bus thread: listen, heartbeat, tick
  void stop();   // on the bus thread, or once it no longer runs

  // The WebSocket session's side, from any io thread; the same shape as RoomRegistry's.
  LinkId open(ClientSink& sink, std::string address);
  void receive(LinkId link, std::string_view text);
  void control(LinkId link);
  void drain(LinkId link);
  void disconnect(LinkId link);  // idempotent; after it the sink is never touched
  void goingAway(LinkId link);

  const std::string& nodeId() const { return nodeId_; }
  bool busUp() const { return bus_.up(); }
  const ClusterStats& stats() const { return stats_; }

 private:
  enum class State { Local, Resolving, Remote };
  struct Link {
    ClientSink* sink = nullptr;
    State state = State::Local;
    ConnectionId conn = 0;  // in the local registry (Local, Resolving)
    // The node whose registry holds it (Remote, or Resolving a move to another room's
    // owner); empty while this node's registry holds it.
    std::string owner;
    // Resolving: what arrived meanwhile, in order (a vector: nothing allocated while empty,
    // which is almost always).
    std::vector<std::string> pending;
  };
  class RemoteSink;
  struct Hosted {  // a client of another node in a room owned here
    std::unique_ptr<RemoteSink> sink;
    ConnectionId conn = 0;
    std::string from;
    // Set while this node confirms it owns the client's room (a claim answered after the
    // client's node learnt it): what arrives meanwhile, as {type, body}.
    std::optional<std::vector<std::pair<std::string, std::string>>> waiting;
  };
  struct Saved {  // a value as last written to the bus: a room's state, a resume token's room
    std::string state;
    TimePoint at;
  };

  std::string keyOf(LinkId link) const { return nodeId_ + "/" + std::to_string(link); }
  void resolve(LinkId link, const std::string& room, bool resuming);
  void settle(LinkId link, const std::optional<std::string>& owner, const std::string& room,
              bool resuming);
  // The claim made this node the room's owner: a room it does not hold yet is rebuilt from
  // the state its last owner saved (its members then resume into it).
  void takeOver(const std::string& room, const std::string& state);
  void markChanged();  // any thread: a room may have changed, save soon
  void save();         // bus thread: writes the rooms whose state changed, drops closed ones
  void keepOwnership();
  void send(const std::string& node, std::string message);  // bus thread; held while down
  void replayHeld();
  void flushLocal(Link& link);
  void flushRemote(LinkId id, Link& link);
  void moveTo(LinkId id, Link& link, const std::string& to, const RoomRegistry::Handoff& handoff);
  void relay(const std::string& node, std::string message);  // any thread
  void onBusMessage(std::string_view message);
  void onHostedMessage(std::string_view type, const std::string& key, std::string_view body);
  void openHosted(const std::string& key, const std::string& from,
                  const RoomRegistry::Handoff& handoff);
  void tick();
  void checkNodes();

  ClusterBus& bus_;
  SharedRegistry& registry_;
  boost::asio::io_context& ioc_;
  std::string nodeId_;
  std::chrono::milliseconds resumeWindow_;
  std::optional<boost::asio::steady_timer> timer_;  // reset by stop(): may outlive the loop
  std::optional<boost::asio::steady_timer> saveTimer_;
  std::optional<boost::asio::steady_timer> replayTimer_;
  std::atomic<bool> stopped_ = false;
  std::atomic<bool> changed_ = false;  // a save is scheduled

  std::mutex mutex_;  // links_ and nextLink_; taken before the registry's lock, never after
  LinkId nextLink_ = 1;
  std::unordered_map<LinkId, Link> links_;

  // Bus thread only.
  std::unordered_map<std::string, Hosted> hosted_;  // by the client's link key
  std::map<std::string, TimePoint> claimed_;        // rooms claimed here lately, and when
  std::map<std::string, Saved> tokensPut_;          // resume tokens told to the bus: room, when
  std::map<std::string, Saved> saved_;              // rooms whose state is on the bus
  int ticks_ = 0;
  // When the bus last came up: Redis may have restarted empty, so for a heartbeat's lifetime
  // no node is judged dead (each writes its heartbeat again as it reconnects).
  TimePoint busUpAt_{};
  // Messages for other nodes while the bus is down, as {node, message}, in order.
  std::deque<std::pair<std::string, std::string>> held_;
  std::size_t heldBytes_ = 0;
  ClusterStats stats_;
};

}  // namespace vroom::server
