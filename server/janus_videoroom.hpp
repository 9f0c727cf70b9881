// The Janus VideoRoom operations vroom needs (multistream API of Janus 1.1), as typed calls
// over a JanusClient: private rooms with a secret and pin of the server's making, publishers
// (join, publish an offer, unpublish, leave), subscribers (one handle for many streams: join
// with feed+mid pairs, start with the answer, update, pick simulcast layers), and the events
// that say which feeds and streams came and went.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "janus_client.hpp"

namespace vroom::server::janus {

inline constexpr std::string_view kVideoRoomPlugin = "janus.plugin.videoroom";

// VideoRoom's own error codes (plugindata `error_code`), the ones vroom reacts to.
enum VideoRoomErrorCode : int {
  kNoSuchRoom = 426,
  kRoomExists = 427,
  kNoSuchFeed = 428,
  kPublishersFull = 432,
  kUnauthorized = 433,
  kAlreadyPublished = 434,
  kNotPublished = 435,
  kAlreadyJoined = 425,
  kJoinFirst = 424,
};

struct RoomSettings {
  std::uint64_t room = 0;  // 0: a random id (53 bits, JavaScript-safe like Janus's own)
  std::string description = "vroom";
  std::size_t publishers = 16;     // most publishers at once
  std::string videocodec = "vp8";  // comma-separated preference, e.g. "vp8,h264"
  std::string audiocodec = "opus";
  std::uint32_t bitrate = 0;  // cap per publisher in bit/s, 0: Janus's default
  bool notifyJoining = true;  // events for participants that join without publishing
};

// What only the server knows of a Janus room: never sent to a client.
struct RoomKeys {
  std::uint64_t room = 0;
  std::string secret;  // needed to destroy or edit the room
  std::string pin;     // needed to join it
};

struct PublishedStream {
  std::string type;  // audio, video, data
  std::string mid;
  std::string codec;
  std::string description;
  bool simulcast = false;
  bool disabled = false;
};

struct Publisher {
  std::uint64_t feed = 0;
  std::string display;
  std::vector<PublishedStream> streams;
};

struct PublisherJoined {
  std::uint64_t feed = 0;             // this publisher's id in the room
  std::uint64_t privateId = 0;        // ties a subscriber to this participant
  std::vector<Publisher> publishers;  // who already publishes
};

struct StreamDescription {  // `descriptions` of publish: a label per mid
  std::string mid;
  std::string description;
};

struct StreamRef {  // one stream to subscribe to or drop; an empty mid means every stream
  std::uint64_t feed = 0;
  std::string mid;
};

struct SubscribedStream {
  std::string mid;  // the mid in the subscriber's own PeerConnection
  std::string type;
  std::uint64_t feed = 0;  // 0 for a data channel
  std::string feedMid;
  bool active = true;
};

struct Subscription {
  std::vector<SubscribedStream> streams;
  std::optional<Jsep> offer;  // Janus offers; the subscriber answers with start()
};

struct LayerChoice {   // simulcast: -1 leaves a value as it is
  std::string mid;     // the subscriber's mid
  int substream = -1;  // 0 lowest .. 2 highest
  int temporal = -1;
  std::optional<bool> send;  // false pauses the stream (an off-screen tile), true resumes it
};

// An event of a handle, typed.
struct RoomEvent {
  enum class Kind {
    PublishersAppeared,    // `publishers` started publishing (streams included)
    PublisherUnpublished,  // `feed` stopped publishing
    PublisherLeft,         // `feed` left the room
    Joining,               // `feed` (`display`) joined without publishing (notify_joining)
    SubscriptionUpdated,   // `streams` of a subscriber changed (a feed went): maybe `jsep`
    RoomDestroyed,         // `room` is gone
    WebrtcUp,
    Hangup,    // `reason`
    Media,     // `mediaType`, `mid`, `receiving`
    SlowLink,  // `mid`, `uplink`
    Detached,
    Other,
  } kind = Kind::Other;
  std::uint64_t handle = 0;
  std::uint64_t room = 0;
  std::uint64_t feed = 0;
  std::string display;
  std::vector<Publisher> publishers;
  std::vector<SubscribedStream> streams;
  std::optional<Jsep> jsep;
  std::string reason;
  std::string mediaType;
  std::string mid;
  bool receiving = false;
  bool uplink = false;
};

// Pure readers of VideoRoom's JSON (never throw): nullopt when the shape is wrong.
RoomEvent toRoomEvent(const Incoming& in);
std::optional<std::vector<Publisher>> readPublishers(const Json& array);
std::optional<std::vector<SubscribedStream>> readStreams(const Json& array);

template <class T>
using Callback = std::function<void(JanusResult<T>)>;

class VideoRoom {
 public:
  // `adminKey`: the VideoRoom's admin_key (scripts/janus-config sets it to the api_secret).
  VideoRoom(std::shared_ptr<JanusClient> client, std::string adminKey);

  // Rooms (through a control handle of the VideoRoom's own, attached when first needed and
  // again after a new session).
  void createRoom(RoomSettings settings, Callback<RoomKeys> done);
  void destroyRoom(const RoomKeys& keys, Callback<Done> done);
  void roomExists(std::uint64_t room, Callback<bool> done);
  void listParticipants(std::uint64_t room, Callback<std::vector<Publisher>> done);

  // A handle is one PeerConnection: a publisher's upload or a subscriber's download.
  void attach(Callback<std::uint64_t> done);
  void detach(std::uint64_t handle, Callback<Done> done);

  void joinAsPublisher(std::uint64_t handle, const RoomKeys& keys, const std::string& display,
                       Callback<PublisherJoined> done);
  // Completes with Janus's answer.
  void publish(std::uint64_t handle, Jsep offer, std::vector<StreamDescription> descriptions,
               Callback<Jsep> done);
  // A new offer on a handle that publishes (an ICE restart, or new tracks): Janus answers.
  void renegotiate(std::uint64_t handle, Jsep offer, Callback<Jsep> done);
  void unpublish(std::uint64_t handle, Callback<Done> done);
  void leave(std::uint64_t handle, Callback<Done> done);

  // Completes with the streams and Janus's offer.
  void subscribe(std::uint64_t handle, const RoomKeys& keys, std::uint64_t privateId,
                 std::vector<StreamRef> streams, Callback<Subscription> done);
  void start(std::uint64_t handle, Jsep answer, Callback<Done> done);
  // Adds and drops streams; completes with the new streams and, if they changed, an offer.
  void update(std::uint64_t handle, std::vector<StreamRef> add, std::vector<StreamRef> drop,
              Callback<Subscription> done);
  void configureLayers(std::uint64_t handle, std::vector<LayerChoice> layers, Callback<Done> done);
  // A subscriber's ICE restart: completes with Janus's new offer (new ICE credentials), to be
  // answered with start().
  void restartIce(std::uint64_t handle, Callback<Jsep> done);

 private:
  struct Control;
  void withControl(Callback<std::uint64_t> done);
  void control(Json body, Callback<Incoming> done);

  std::shared_ptr<JanusClient> client_;
  std::string adminKey_;
  std::shared_ptr<Control> control_;
};

}  // namespace vroom::server::janus
