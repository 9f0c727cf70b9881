// Rooms on the video server (Janus VideoRoom, docs/sfu.md): which rooms leave the mesh, the
// Janus room and the two handles per member behind each, JSEP and trickle relayed between
// members and Janus, feeds mapped to peer ids, Janus restarts and outages.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "janus_videoroom.hpp"
#include "room_registry.hpp"
#include "server_config.hpp"

namespace vroom::server {

// Lives on one io_context (its JanusClient's). The RoomObserver calls come from any thread with
// the registry's lock held: they only post. Messages to members leave through `send`, called
// on that io_context without the lock (it takes the registry's lock itself).
class SfuRooms : public RoomObserver, public std::enable_shared_from_this<SfuRooms> {
 public:
  using Send = std::function<void(const std::string& room, const std::string& peer,
                                  const protocol::Message& message)>;
  static std::shared_ptr<SfuRooms> create(boost::asio::io_context& io, const SfuConfig& config,
                                          std::size_t maxRoomSize, Send send);
  void start();  // connects to Janus (and keeps reconnecting)
  void stop();   // on the io_context's thread

  void entered(const std::string& room, const protocol::PeerInfo& peer, protocol::Mode mode,
               bool sfu) override;
  void left(const std::string& room, const std::string& peer) override;
  void closed(const std::string& room) override;
  void resumed(const std::string& room, const std::string& peer) override;
  void received(const std::string& room, const std::string& peer,
                protocol::Message message) override;

 private:
  struct Member {
    std::string peer;
    protocol::Role role = protocol::Role::Member;
    bool sfu = false;
    bool told = false;       // media-path of the current epoch sent
    std::uint64_t pub = 0;   // publisher handle (0: none yet, or a viewer)
    std::uint64_t feed = 0;  // its feed once joined as publisher
    std::uint64_t privateId = 0;
    bool offered = false;     // its first offer was answered: later ones renegotiate
    bool publishing = false;  // an offer of it is with Janus (the next waits its answer)
    bool published = false;   // its media is up in Janus (webrtcup): others may subscribe
    std::optional<std::string> pendingOffer;  // the newest offer, waiting for the join or an answer
    std::uint32_t pubHangups = 0;  // Janus hung up its upload this often: older answers are stale
    std::uint64_t sub = 0;                    // subscriber handle
    bool subBusy = false;                     // a subscribe/update/restart or its answer is pending
    bool restartAsked = false;                // sfu-restart while busy: the restart follows
    std::set<std::uint64_t> feeds;            // feeds its subscriber link carries
    std::vector<janus::SubscribedStream> streams;
    // Of each feed it receives, the layer it asked for (sfu-layer); a feed it has not asked
    // about yet counts as Low (its tile is not laid out yet).
    std::map<std::uint64_t, protocol::Layer> wants;
    std::optional<protocol::Layer> sendLayer;  // the sfu-send-layer last sent to its publisher
  };
  enum class State { Mesh, Creating, Ready };
  struct Room {
    protocol::Mode mode = protocol::Mode::Conference;
    std::vector<Member> members;  // join order
    State state = State::Mesh;
    janus::RoomKeys keys;
    std::int64_t epoch = 0;
    bool toldUnavailable = false;
  };
  // Which member a callback is for, checked again when it completes: the room may have
  // ended, the member left, or the video server restarted (a new epoch) in between.
  struct Ref {
    std::string room;
    std::string peer;
    std::int64_t epoch = 0;
  };

  SfuRooms(boost::asio::io_context& io, const SfuConfig& config, std::size_t maxRoomSize,
           Send send);
  template <class F>
  void post(F&& f);

  bool wantsSfu(const Room& room) const;
  static bool mayPublish(const Room& room, const Member& member);
  void update(const std::string& roomId);
  void moveToSfu(const std::string& roomId);
  void setUp(const std::string& roomId, Room& room, Member& member);
  // A new VideoRoom handle for the member `ref` names, handed to `then` while that member is
  // still there; otherwise it is detached, and a failed attach tells the member and runs
  // `failed` (when given) so that a later change may try again.
  void attachFor(const Ref& ref, std::function<void(Member&, std::uint64_t)> then,
                 std::function<void(Member&)> failed = {});
  void publish(const std::string& roomId, Room& room, Member& member, std::string sdp);
  void reconcile(const std::string& roomId, Room& room, Member& member);
  // sfu-restart: Janus restarts ICE on the member's subscriber handle and offers again.
  void restartSubscriber(const std::string& roomId, Room& room, Member& member);
  // A subscribe or update on `handle` completed (ignored when the member's handle changed).
  void subscribed(const Ref& ref, std::uint64_t handle,
                  janus::JanusResult<janus::Subscription> result);
  void onLayer(const std::string& roomId, Room& room, Member& member,
               const protocol::SfuLayer& layer);
  // Tells each publisher of the room the highest layer anyone receiving it asked for, when
  // that changed: what it encodes above goes nowhere.
  void tellSendLayers(const std::string& roomId, Room& room);
  void release(Member& member);  // detaches its handles (fire and forget)
  void tellUnavailable(const std::string& roomId, Room& room, const std::string& why);
  void onJanusEvent(const janus::Incoming& in);
  // Janus hung up a member's subscriber connection: a new handle and a new offer.
  void subscriberHungUp(const std::string& roomId, Member& member);
  void onSessionUp(std::uint64_t generation);
  void onSessionDown();

  Member* find(const Ref& ref);
  Member* find(const std::string& roomId, const std::string& peer);
  std::vector<protocol::SfuStream> streamsFor(const Room& room,
                                              const std::vector<janus::SubscribedStream>& in) const;
  void sendError(const std::string& roomId, const std::string& peer, protocol::ErrorCode code,
                 std::string message, std::string type);

  boost::asio::io_context& io_;
  SfuConfig config_;
  std::size_t maxRoomSize_;
  Send send_;
  std::shared_ptr<janus::JanusClient> client_;
  std::unique_ptr<janus::VideoRoom> videoRoom_;
  std::map<std::string, Room> rooms_;
  // handle -> room, peer: where Janus's events for a handle belong
  std::map<std::uint64_t, std::pair<std::string, std::string>> publishers_;
  std::map<std::uint64_t, std::pair<std::string, std::string>> subscribers_;
  bool stopped_ = false;
};

}  // namespace vroom::server
