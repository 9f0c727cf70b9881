// VideoRoom requests and the readers of their replies and events (see janus_videoroom.hpp).
#include "janus_videoroom.hpp"

#include <utility>

#include "random_id.hpp"

namespace vroom::server::janus {

namespace {

// 52 random bits, never 0: Janus's numeric ids stay below 2^53 so JavaScript reads them exactly.
std::uint64_t randomRoomId() {
  const std::string hex = randomId();
  const std::uint64_t id = std::stoull(hex.substr(0, 13), nullptr, 16);
  return id == 0 ? 1 : id;
}

Json streamRefs(const std::vector<StreamRef>& refs) {
  Json array = Json::array();
  for (const auto& ref : refs) {
    Json entry{{"feed", ref.feed}};
    if (!ref.mid.empty()) entry["mid"] = ref.mid;
    array.push_back(std::move(entry));
  }
  return array;
}

// The plugin's answer must name `expected` in "videoroom" (and `okField` == "ok" if given).
std::optional<Error> expectReply(const Incoming& in, std::string_view expected,
                                 std::string_view okField = {}) {
  const auto kind = getString(in.pluginData, "videoroom");
  if (!kind || *kind != expected)
    return Error{
        ErrorCode::Malformed, 0,
        "expected videoroom '" + std::string(expected) + "', got '" + kind.value_or("") + "'"};
  if (!okField.empty() && getString(in.pluginData, okField).value_or("") != "ok")
    return Error{ErrorCode::Malformed, 0, "no '" + std::string(okField) + "': ok"};
  return std::nullopt;
}

Callback<Incoming> expecting(std::string expected, std::string okField, Callback<Done> done) {
  return [expected = std::move(expected), okField = std::move(okField),
          done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    if (auto error = expectReply(reply.value(), expected, okField)) return done(fail(*error));
    done(Done{});
  };
}

// A "configured" event that must carry a JSEP of `type` (Janus's answer to a publisher's
// offer, or its offer to a restarting subscriber).
Callback<Incoming> configuredWith(std::string type, std::string what, Callback<Jsep> done) {
  return [type = std::move(type), what = std::move(what),
          done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    if (auto error = expectReply(reply.value(), "event", "configured")) return done(fail(*error));
    const auto& jsep = reply.value().jsep;
    if (!jsep || jsep->type != type)
      return done(failWith(ErrorCode::Malformed, what + ": no " + type));
    done(*jsep);
  };
}

}  // namespace

std::optional<std::vector<Publisher>> readPublishers(const Json& array) {
  if (!array.is_array()) return std::nullopt;
  std::vector<Publisher> out;
  for (const Json& entry : array) {
    Publisher publisher;
    const auto feed = getU64(entry, "id");
    if (!feed) return std::nullopt;
    publisher.feed = *feed;
    publisher.display = getString(entry, "display").value_or("");
    if (getBool(entry, "dummy").value_or(false)) continue;
    if (const Json* streams = getArray(entry, "streams")) {
      for (const Json& s : *streams) {
        PublishedStream stream;
        auto type = getString(s, "type");
        auto mid = getString(s, "mid");
        if (!type || !mid) return std::nullopt;
        stream.type = std::move(*type);
        stream.mid = std::move(*mid);
        stream.codec = getString(s, "codec").value_or("");
        stream.description = getString(s, "description").value_or("");
        stream.simulcast = getBool(s, "simulcast").value_or(false);
        stream.disabled = getBool(s, "disabled").value_or(false);
        publisher.streams.push_back(std::move(stream));
      }
    }
    out.push_back(std::move(publisher));
  }
  return out;
}

std::optional<std::vector<SubscribedStream>> readStreams(const Json& array) {
  if (!array.is_array()) return std::nullopt;
  std::vector<SubscribedStream> out;
  for (const Json& s : array) {
    SubscribedStream stream;
    auto mid = getString(s, "mid");
    auto type = getString(s, "type");
    if (!mid || !type) return std::nullopt;
    stream.mid = std::move(*mid);
    stream.type = std::move(*type);
    stream.feed = getU64(s, "feed_id").value_or(0);
    stream.feedMid = getString(s, "feed_mid").value_or("");
    stream.active = getBool(s, "active").value_or(true);
    out.push_back(std::move(stream));
  }
  return out;
}

RoomEvent toRoomEvent(const Incoming& in) {
  RoomEvent event;
  event.handle = in.sender;
  event.jsep = in.jsep;
  switch (in.event) {
    case EventKind::WebrtcUp:
      event.kind = RoomEvent::Kind::WebrtcUp;
      return event;
    case EventKind::Hangup:
      event.kind = RoomEvent::Kind::Hangup;
      event.reason = in.reason;
      return event;
    case EventKind::Media:
      event.kind = RoomEvent::Kind::Media;
      event.mediaType = in.mediaType;
      event.mid = in.mid;
      event.receiving = in.receiving;
      return event;
    case EventKind::SlowLink:
      event.kind = RoomEvent::Kind::SlowLink;
      event.mid = in.mid;
      event.uplink = in.uplink;
      return event;
    case EventKind::Detached:
      event.kind = RoomEvent::Kind::Detached;
      return event;
    case EventKind::PluginEvent:
      break;
    default:
      return event;
  }
  const Json& data = in.pluginData;
  event.room = getU64(data, "room").value_or(0);
  const auto kind = getString(data, "videoroom").value_or("");
  if (kind == "destroyed") {
    event.kind = RoomEvent::Kind::RoomDestroyed;
  } else if (kind == "updated") {
    if (const Json* streams = getArray(data, "streams"))
      if (auto read = readStreams(*streams)) {
        event.kind = RoomEvent::Kind::SubscriptionUpdated;
        event.streams = std::move(*read);
      }
  } else if (kind == "event") {
    if (const Json* publishers = getArray(data, "publishers")) {
      if (auto read = readPublishers(*publishers)) {
        event.kind = RoomEvent::Kind::PublishersAppeared;
        event.publishers = std::move(*read);
      }
    } else if (const auto feed = getU64(data, "unpublished")) {
      event.kind = RoomEvent::Kind::PublisherUnpublished;
      event.feed = *feed;
    } else if (const auto left = getU64(data, "leaving")) {
      event.kind = RoomEvent::Kind::PublisherLeft;
      event.feed = *left;
    } else if (const Json* joining = getObject(data, "joining")) {
      if (const auto feed = getU64(*joining, "id")) {
        event.kind = RoomEvent::Kind::Joining;
        event.feed = *feed;
        event.display = getString(*joining, "display").value_or("");
      }
    }
  }
  return event;
}

struct VideoRoom::Control {
  std::uint64_t handle = 0;
  std::uint64_t generation = 0;  // the client session the handle belongs to
  bool attaching = false;
  std::vector<Callback<std::uint64_t>> waiting;
};

VideoRoom::VideoRoom(std::shared_ptr<JanusClient> client, std::string adminKey)
    : client_(std::move(client)),
      adminKey_(std::move(adminKey)),
      control_(std::make_shared<Control>()) {}

void VideoRoom::withControl(Callback<std::uint64_t> done) {
  auto control = control_;
  if (control->handle != 0 && control->generation == client_->generation())
    return done(control->handle);
  control->waiting.push_back(std::move(done));
  if (control->attaching) return;
  control->attaching = true;
  const auto generation = client_->generation();
  client_->attach(std::string(kVideoRoomPlugin),
                  [control, generation](JanusResult<std::uint64_t> handle) {
                    control->attaching = false;
                    if (handle) {
                      control->handle = handle.value();
                      control->generation = generation;
                    }
                    auto waiting = std::move(control->waiting);
                    control->waiting.clear();
                    for (auto& callback : waiting) callback(handle);
                  });
}

void VideoRoom::control(Json body, Callback<Incoming> done) {
  withControl([client = client_, body = std::move(body),
               done = std::move(done)](JanusResult<std::uint64_t> handle) mutable {
    if (!handle) return done(fail(handle.error()));
    client->message(handle.value(), std::move(body), std::nullopt, std::move(done));
  });
}

void VideoRoom::createRoom(RoomSettings settings, Callback<RoomKeys> done) {
  RoomKeys keys{settings.room != 0 ? settings.room : randomRoomId(), randomId(), randomId()};
  Json body{{"request", "create"},
            {"room", keys.room},
            {"permanent", false},
            {"is_private", true},
            {"description", settings.description},
            {"secret", keys.secret},
            {"pin", keys.pin},
            {"publishers", settings.publishers},
            {"videocodec", settings.videocodec},
            {"audiocodec", settings.audiocodec},
            {"notify_joining", settings.notifyJoining}};
  if (settings.bitrate != 0) body["bitrate"] = settings.bitrate;
  if (!adminKey_.empty()) body["admin_key"] = adminKey_;
  control(std::move(body), [keys, done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    if (auto error = expectReply(reply.value(), "created")) return done(fail(*error));
    if (getU64(reply.value().pluginData, "room") != keys.room)
      return done(failWith(ErrorCode::Malformed, "created another room than asked"));
    done(keys);
  });
}

void VideoRoom::destroyRoom(const RoomKeys& keys, Callback<Done> done) {
  control(Json{{"request", "destroy"},
               {"room", keys.room},
               {"secret", keys.secret},
               {"permanent", false}},
          expecting("destroyed", "", std::move(done)));
}

void VideoRoom::roomExists(std::uint64_t room, Callback<bool> done) {
  control(Json{{"request", "exists"}, {"room", room}},
          [done = std::move(done)](JanusResult<Incoming> reply) {
            if (!reply) return done(fail(reply.error()));
            if (auto error = expectReply(reply.value(), "success")) return done(fail(*error));
            const auto exists = getBool(reply.value().pluginData, "exists");
            if (!exists) return done(failWith(ErrorCode::Malformed, "exists: no answer"));
            done(*exists);
          });
}

void VideoRoom::listParticipants(std::uint64_t room, Callback<std::vector<Publisher>> done) {
  control(Json{{"request", "listparticipants"}, {"room", room}},
          [done = std::move(done)](JanusResult<Incoming> reply) {
            if (!reply) return done(fail(reply.error()));
            if (auto error = expectReply(reply.value(), "participants")) return done(fail(*error));
            const Json* list = getArray(reply.value().pluginData, "participants");
            auto read = list ? readPublishers(*list) : std::nullopt;
            if (!read) return done(failWith(ErrorCode::Malformed, "participants unreadable"));
            done(std::move(*read));
          });
}

void VideoRoom::attach(Callback<std::uint64_t> done) {
  client_->attach(std::string(kVideoRoomPlugin), std::move(done));
}

void VideoRoom::detach(std::uint64_t handle, Callback<Done> done) {
  client_->detach(handle, std::move(done));
}

void VideoRoom::joinAsPublisher(std::uint64_t handle, const RoomKeys& keys,
                                const std::string& display, Callback<PublisherJoined> done) {
  Json body{{"request", "join"},
            {"ptype", "publisher"},
            {"room", keys.room},
            {"pin", keys.pin},
            {"display", display}};
  client_->message(handle, std::move(body), std::nullopt,
                   [done = std::move(done)](JanusResult<Incoming> reply) {
                     if (!reply) return done(fail(reply.error()));
                     const Json& data = reply.value().pluginData;
                     if (auto error = expectReply(reply.value(), "joined"))
                       return done(fail(*error));
                     PublisherJoined joined;
                     const auto feed = getU64(data, "id");
                     const auto privateId = getU64(data, "private_id");
                     const Json* list = getArray(data, "publishers");
                     auto publishers = list ? readPublishers(*list) : std::nullopt;
                     if (!feed || !privateId || !publishers)
                       return done(failWith(ErrorCode::Malformed, "joined: missing fields"));
                     done(PublisherJoined{*feed, *privateId, std::move(*publishers)});
                   });
}

void VideoRoom::publish(std::uint64_t handle, Jsep offer,
                        std::vector<StreamDescription> descriptions, Callback<Jsep> done) {
  Json body{{"request", "publish"}};
  if (!descriptions.empty()) {
    Json list = Json::array();
    for (const auto& d : descriptions)
      list.push_back(Json{{"mid", d.mid}, {"description", d.description}});
    body["descriptions"] = std::move(list);
  }
  client_->message(handle, std::move(body), std::move(offer),
                   configuredWith("answer", "publish", std::move(done)));
}

void VideoRoom::renegotiate(std::uint64_t handle, Jsep offer, Callback<Jsep> done) {
  client_->message(handle, Json{{"request", "configure"}}, std::move(offer),
                   configuredWith("answer", "configure", std::move(done)));
}

void VideoRoom::unpublish(std::uint64_t handle, Callback<Done> done) {
  client_->message(handle, Json{{"request", "unpublish"}}, std::nullopt,
                   expecting("event", "unpublished", std::move(done)));
}

void VideoRoom::leave(std::uint64_t handle, Callback<Done> done) {
  client_->message(handle, Json{{"request", "leave"}}, std::nullopt,
                   expecting("event", "leaving", std::move(done)));
}

namespace {
Callback<Incoming> subscriptionReply(std::string expected, bool offerRequired,
                                     Callback<Subscription> done) {
  return [expected = std::move(expected), offerRequired,
          done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    if (auto error = expectReply(reply.value(), expected)) return done(fail(*error));
    const Json* list = getArray(reply.value().pluginData, "streams");
    auto streams = list ? readStreams(*list) : std::nullopt;
    if (!streams) return done(failWith(ErrorCode::Malformed, expected + ": no streams"));
    Subscription subscription{std::move(*streams), reply.value().jsep};
    if (subscription.offer && subscription.offer->type != "offer")
      return done(failWith(ErrorCode::Malformed, expected + ": jsep is not an offer"));
    if (offerRequired && !subscription.offer)
      return done(failWith(ErrorCode::Malformed, expected + ": no offer"));
    done(std::move(subscription));
  };
}
}  // namespace

void VideoRoom::subscribe(std::uint64_t handle, const RoomKeys& keys, std::uint64_t privateId,
                          std::vector<StreamRef> streams, Callback<Subscription> done) {
  Json body{{"request", "join"},
            {"ptype", "subscriber"},
            {"room", keys.room},
            {"pin", keys.pin},
            {"streams", streamRefs(streams)}};
  if (privateId != 0) body["private_id"] = privateId;
  client_->message(handle, std::move(body), std::nullopt,
                   subscriptionReply("attached", true, std::move(done)));
}

void VideoRoom::start(std::uint64_t handle, Jsep answer, Callback<Done> done) {
  client_->message(handle, Json{{"request", "start"}}, std::move(answer),
                   expecting("event", "started", std::move(done)));
}

void VideoRoom::update(std::uint64_t handle, std::vector<StreamRef> add,
                       std::vector<StreamRef> drop, Callback<Subscription> done) {
  Json body{{"request", "update"}};
  if (!add.empty()) body["subscribe"] = streamRefs(add);
  if (!drop.empty()) body["unsubscribe"] = streamRefs(drop);
  client_->message(handle, std::move(body), std::nullopt,
                   subscriptionReply("updated", false, std::move(done)));
}

void VideoRoom::configureLayers(std::uint64_t handle, std::vector<LayerChoice> layers,
                                Callback<Done> done) {
  Json streams = Json::array();
  for (const auto& layer : layers) {
    Json entry{{"mid", layer.mid}};
    if (layer.substream >= 0) entry["substream"] = layer.substream;
    if (layer.temporal >= 0) entry["temporal"] = layer.temporal;
    if (layer.send) entry["send"] = *layer.send;
    streams.push_back(std::move(entry));
  }
  client_->message(handle, Json{{"request", "configure"}, {"streams", std::move(streams)}},
                   std::nullopt, expecting("event", "configured", std::move(done)));
}

void VideoRoom::restartIce(std::uint64_t handle, Callback<Jsep> done) {
  client_->message(handle, Json{{"request", "configure"}, {"restart", true}}, std::nullopt,
                   configuredWith("offer", "restart", std::move(done)));
}

}  // namespace vroom::server::janus
