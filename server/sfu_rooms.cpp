// SfuRooms: the video server's side of vroom rooms (see sfu_rooms.hpp). Every Janus call's
// completion looks its member up again by room, peer id and epoch before touching anything.
#include "sfu_rooms.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>

#include "log.hpp"

namespace vroom::server {

using namespace protocol;
namespace net = boost::asio;

namespace {

constexpr const char* kUnavailable = "The video server is unavailable";

int substreamOf(Layer layer) {
  switch (layer) {
    case Layer::High:
      return 2;
    case Layer::Medium:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

std::shared_ptr<SfuRooms> SfuRooms::create(net::io_context& io, const SfuConfig& config,
                                           std::size_t maxRoomSize, Send send) {
  return std::shared_ptr<SfuRooms>(new SfuRooms(io, config, maxRoomSize, std::move(send)));
}

SfuRooms::SfuRooms(net::io_context& io, const SfuConfig& config, std::size_t maxRoomSize, Send send)
    : io_(io), config_(config), maxRoomSize_(maxRoomSize), send_(std::move(send)) {}

void SfuRooms::start() {
  janus::JanusClientConfig config;
  config.url = config_.janusUrl;
  config.apiSecret = config_.janusSecret;
  std::weak_ptr<SfuRooms> weak = weak_from_this();
  janus::JanusClient::Handlers handlers;
  handlers.sessionUp = [weak](std::uint64_t generation) {
    if (auto self = weak.lock()) self->onSessionUp(generation);
  };
  handlers.unavailable = [weak](const janus::Error& error) {
    if (auto self = weak.lock()) {
      log::warn("janus_unavailable", {{"reason", error.reason}});
      for (auto& [id, room] : self->rooms_)
        if (room.state == State::Mesh && self->wantsSfu(room)) self->tellUnavailable(id, room, "");
    }
  };
  handlers.sessionDown = [weak](const janus::Error&) {
    if (auto self = weak.lock()) self->onSessionDown();
  };
  handlers.event = [weak](const janus::Incoming& in) {
    if (auto self = weak.lock()) self->onJanusEvent(in);
  };
  client_ = janus::JanusClient::create(io_, std::move(config), std::move(handlers));
  videoRoom_ = std::make_unique<janus::VideoRoom>(client_, config_.janusSecret);
  client_->start();
}

void SfuRooms::stop() {
  stopped_ = true;
  if (client_) client_->stop();
}

template <class F>
void SfuRooms::post(F&& f) {
  net::post(io_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
    if (!self->stopped_) f(*self);
  });
}

// ---- the registry's side (posted) ----

void SfuRooms::entered(const std::string& room, const PeerInfo& peer, Mode mode, bool sfu) {
  post([room, peer, mode, sfu](SfuRooms& self) {
    Room& r = self.rooms_[room];
    r.mode = mode;
    Member member;
    member.peer = peer.id;
    member.role = peer.role;
    member.sfu = sfu;
    r.members.push_back(std::move(member));
    if (r.state != State::Mesh && !sfu) {
      // A page that cannot use the video server in a room already on it: it would see nobody.
      self.sendError(room, peer.id, ErrorCode::SfuUnavailable,
                     "This room's media goes through the video server, which this page cannot "
                     "use. Reload the page.",
                     "join");
    }
    self.update(room);
  });
}

void SfuRooms::left(const std::string& room, const std::string& peer) {
  post([room, peer](SfuRooms& self) {
    const auto it = self.rooms_.find(room);
    if (it == self.rooms_.end()) return;
    auto& members = it->second.members;
    const auto m = std::find_if(members.begin(), members.end(),
                                [&](const Member& x) { return x.peer == peer; });
    if (m == members.end()) return;
    const std::uint64_t feed = m->feed;
    self.release(*m);
    members.erase(m);
    // Janus drops the feed's streams from every subscription itself (an `updated` event with
    // a new offer follows on each subscriber handle).
    for (auto& other : members) other.feeds.erase(feed);
    if (members.empty()) return self.closed(room);
    self.update(room);
  });
}

void SfuRooms::closed(const std::string& room) {
  post([room](SfuRooms& self) {
    const auto it = self.rooms_.find(room);
    if (it == self.rooms_.end()) return;
    for (auto& member : it->second.members) self.release(member);
    if (it->second.state == State::Ready && self.client_->sessionReady())
      self.videoRoom_->destroyRoom(it->second.keys, [](auto) {});
    self.rooms_.erase(it);
  });
}

void SfuRooms::resumed(const std::string& room, const std::string& peer) {
  post([room, peer](SfuRooms& self) {
    Member* member = self.find(room, peer);
    if (!member) return;
    Room& r = self.rooms_.at(room);
    if (r.state != State::Ready) return;
    self.send_(room, peer, MediaPath{MediaPathKind::Sfu, mayPublish(r, *member), r.epoch});
  });
}

void SfuRooms::received(const std::string& room, const std::string& peer, Message message) {
  post([room, peer, message = std::move(message)](SfuRooms& self) mutable {
    const std::string type(typeName(message));
    Member* member = self.find(room, peer);
    const auto it = self.rooms_.find(room);
    if (!member || it == self.rooms_.end() || it->second.state != State::Ready) {
      self.sendError(room, peer, ErrorCode::NotAllowed,
                     "this room's media is peer to peer: use signal", type);
      return;
    }
    Room& r = it->second;
    if (auto* offer = std::get_if<SfuOffer>(&message)) {
      if (!mayPublish(r, *member))
        return self.sendError(room, peer, ErrorCode::NotAllowed,
                              "viewers cannot send media in a broadcast", type);
      return self.publish(room, r, *member, std::move(offer->sdp));
    }
    if (auto* answer = std::get_if<SfuAnswer>(&message)) {
      if (member->sub == 0 || !member->subBusy)
        return self.sendError(room, peer, ErrorCode::NotAllowed, "no offer to answer", type);
      const Ref ref{room, peer, r.epoch};
      self.videoRoom_->start(
          member->sub, janus::Jsep{"answer", answer->sdp},
          [ref, handle = member->sub, weak = self.weak_from_this()](janus::JanusResult<janus::Done> done) {
            auto self = weak.lock();
            Member* m = self ? self->find(ref) : nullptr;
            if (!m || m->sub != handle) return;
            if (!done.ok()) log::warn("janus_start", {{"reason", done.error().reason}});
            m->subBusy = false;
            Room& room = self->rooms_.at(ref.room);
            if (std::exchange(m->restartAsked, false))
              self->restartSubscriber(ref.room, room, *m);
            else
              self->reconcile(ref.room, room, *m);
          });
      return;
    }
    if (auto* candidate = std::get_if<SfuCandidate>(&message)) {
      const std::uint64_t handle =
          candidate->link == SfuLink::Publisher ? member->pub : member->sub;
      if (handle == 0) return;  // a link the server has not set up: nothing to add it to
      std::optional<janus::IceCandidate> ice;
      if (!candidate->candidate.empty())
        ice = janus::IceCandidate{candidate->candidate, candidate->sdpMid,
                                  static_cast<int>(candidate->sdpMLineIndex)};
      self.client_->trickle(handle, std::move(ice), [](auto) {});
      return;
    }
    if (auto* layer = std::get_if<SfuLayer>(&message)) self.onLayer(room, r, *member, *layer);
    if (std::holds_alternative<SfuRestart>(message)) self.restartSubscriber(room, r, *member);
  });
}

// ---- rooms ----

bool SfuRooms::wantsSfu(const Room& room) const {
  if (room.members.empty()) return false;
  for (const auto& member : room.members)
    if (!member.sfu) return false;  // today's pages: the room stays peer to peer
  return room.mode == Mode::Broadcast || room.members.size() > config_.meshMax;
}

bool SfuRooms::mayPublish(const Room& room, const Member& member) {
  return room.mode == Mode::Conference || member.role == Role::Host;
}

void SfuRooms::update(const std::string& roomId) {
  const auto it = rooms_.find(roomId);
  if (it == rooms_.end()) return;
  Room& room = it->second;
  if (room.state == State::Mesh) {
    if (wantsSfu(room)) moveToSfu(roomId);
    return;
  }
  if (room.state != State::Ready) return;  // setUp follows when the Janus room exists
  for (auto& member : room.members)
    if (!member.told && member.sfu) setUp(roomId, room, member);
  for (auto& member : room.members) reconcile(roomId, room, member);
  tellSendLayers(roomId, room);
}

void SfuRooms::tellUnavailable(const std::string& roomId, Room& room, const std::string& why) {
  if (room.toldUnavailable) return;
  room.toldUnavailable = true;
  log::warn("sfu_unavailable", {{"room", roomId}, {"reason", why}});
  for (const auto& member : room.members)
    sendError(roomId, member.peer, ErrorCode::SfuUnavailable,
              std::string(kUnavailable) + ": the room stays peer to peer", "");
}

void SfuRooms::moveToSfu(const std::string& roomId) {
  Room& room = rooms_.at(roomId);
  if (!client_->sessionReady()) return tellUnavailable(roomId, room, "no Janus session");
  room.state = State::Creating;
  janus::RoomSettings settings;
  // A broadcast's Janus room takes one publisher: a second upload needs the server and Janus
  // both to be wrong.
  settings.publishers = room.mode == Mode::Broadcast ? 1 : maxRoomSize_;
  settings.description = "vroom";
  const std::uint64_t generation = client_->generation();
  videoRoom_->createRoom(settings, [this, roomId, generation, weak = weak_from_this()](
                                       janus::JanusResult<janus::RoomKeys> keys) {
    if (!weak.lock()) return;
    // A new session since: it has already retried every room that wants the video server.
    if (generation != client_->generation()) return;
    const auto it = rooms_.find(roomId);
    if (it == rooms_.end() || it->second.state != State::Creating) {
      if (keys.ok()) videoRoom_->destroyRoom(keys.value(), [](auto) {});
      return;
    }
    Room& room = it->second;
    if (!keys.ok()) {
      room.state = State::Mesh;
      return tellUnavailable(roomId, room, keys.error().reason);
    }
    room.keys = keys.value();
    room.state = State::Ready;
    room.toldUnavailable = false;
    ++room.epoch;
    log::info("sfu_room", {{"room", roomId}, {"epoch", std::to_string(room.epoch)}});
    update(roomId);
  });
}

// Tells the member its media path, and joins its publisher handle (when it may publish).
void SfuRooms::setUp(const std::string& roomId, Room& room, Member& member) {
  member.told = true;
  const bool publishes = mayPublish(room, member);
  send_(roomId, member.peer, MediaPath{MediaPathKind::Sfu, publishes, room.epoch});
  if (!publishes) return;
  const Ref ref{roomId, member.peer, room.epoch};
  attachFor(ref, [this, ref](Member& m, std::uint64_t handle) {
    m.pub = handle;
    publishers_[m.pub] = {ref.room, ref.peer};
    videoRoom_->joinAsPublisher(
        m.pub, rooms_.at(ref.room).keys, ref.peer,
        [this, ref, weak = weak_from_this()](janus::JanusResult<janus::PublisherJoined> joined) {
          if (!weak.lock()) return;
          Member* m = find(ref);
          if (!m) return;
          if (!joined.ok()) {
            log::warn("janus_join", {{"reason", joined.error().reason}});
            return sendError(ref.room, ref.peer, ErrorCode::SfuUnavailable, kUnavailable, "");
          }
          m->feed = joined.value().feed;
          m->privateId = joined.value().privateId;
          if (m->pendingOffer) {
            std::string sdp = std::move(*m->pendingOffer);
            m->pendingOffer.reset();
            publish(ref.room, rooms_.at(ref.room), *m, std::move(sdp));
          }
        });
  });
}

void SfuRooms::attachFor(const Ref& ref, std::function<void(Member&, std::uint64_t)> then,
                         std::function<void(Member&)> failed) {
  videoRoom_->attach([this, ref, then = std::move(then), failed = std::move(failed),
                      weak = weak_from_this()](janus::JanusResult<std::uint64_t> handle) {
    if (!weak.lock()) return;
    Member* m = find(ref);
    if (m && handle.ok()) return then(*m, handle.value());
    if (handle.ok()) videoRoom_->detach(handle.value(), [](auto) {});
    if (!m) return;
    log::warn("janus_attach", {{"reason", handle.ok() ? "" : handle.error().reason}});
    if (failed) failed(*m);
    sendError(ref.room, ref.peer, ErrorCode::SfuUnavailable, kUnavailable, "");
  });
}

void SfuRooms::publish(const std::string& roomId, Room& room, Member& member, std::string sdp) {
  // Its publisher handle is still joining, or Janus has its previous offer: the newest offer
  // waits (an ICE restart supersedes the offer before it).
  if (member.feed == 0 || member.publishing) {
    member.pendingOffer = std::move(sdp);
    return;
  }
  member.publishing = true;
  const Ref ref{roomId, member.peer, room.epoch};
  auto answered = [this, ref, hangups = member.pubHangups,
                   weak = weak_from_this()](janus::JanusResult<janus::Jsep> answer) {
    if (!weak.lock()) return;
    Member* m = find(ref);
    if (!m) return;
    m->publishing = false;
    if (m->pubHangups != hangups) {
      // Answers an offer of the connection Janus hung up since: dropped (the page's new
      // connection offers on its own).
    } else if (!answer.ok()) {
      log::warn("janus_publish", {{"reason", answer.error().reason}});
      sendError(ref.room, ref.peer, ErrorCode::SfuUnavailable,
                std::string(kUnavailable) + ": it refused this page's media", "sfu-offer");
    } else {
      m->offered = true;
      // Janus takes subscribers to a feed once its media is up: webrtcup (onJanusEvent).
      send_(ref.room, ref.peer, SfuAnswer{answer.value().sdp});
    }
    if (m->pendingOffer) {
      std::string next = std::move(*m->pendingOffer);
      m->pendingOffer.reset();
      publish(ref.room, rooms_.at(ref.room), *m, std::move(next));
    }
  };
  // The first offer publishes; a later one (the page restarted ICE, or changed its tracks)
  // renegotiates the same handle, so subscribers keep their feed.
  if (member.offered) {
    log::info("sfu_renegotiate", {{"room", roomId}, {"peer", member.peer}});
    videoRoom_->renegotiate(member.pub, janus::Jsep{"offer", std::move(sdp)}, std::move(answered));
  } else {
    videoRoom_->publish(member.pub, janus::Jsep{"offer", std::move(sdp)}, {}, std::move(answered));
  }
}

// The page's subscriber link lost its path (ICE failed): Janus restarts ICE on that handle and
// offers again; the page answers like any subscriber offer. One offer/answer at a time: asked
// while one is in flight, the restart follows it.
void SfuRooms::restartSubscriber(const std::string& roomId, Room& room, Member& member) {
  if (member.sub == 0) return;  // nothing subscribed: the first offer is still to come
  if (member.subBusy) {
    member.restartAsked = true;
    return;
  }
  member.subBusy = true;
  const Ref ref{roomId, member.peer, room.epoch};
  videoRoom_->restartIce(
      member.sub, [this, ref, handle = member.sub,
                   weak = weak_from_this()](janus::JanusResult<janus::Jsep> offer) {
        if (!weak.lock()) return;
        Member* m = find(ref);
        if (!m || m->sub != handle) return;  // hung up since: a new handle offers
        if (!offer.ok()) {
          log::warn("janus_restart", {{"reason", offer.error().reason}});
          m->subBusy = false;
          return reconcile(ref.room, rooms_.at(ref.room), *m);
        }
        log::info("sfu_ice_restart", {{"room", ref.room}, {"peer", ref.peer}});
        // subBusy stays until the page's sfu-answer has been handed to Janus.
        send_(ref.room, ref.peer,
              SfuOffer{offer.value().sdp, streamsFor(rooms_.at(ref.room), m->streams)});
      });
}

// Brings a member's subscriber link to every published feed it may see, one Janus request
// (and one offer/answer with the client) at a time.
void SfuRooms::reconcile(const std::string& roomId, Room& room, Member& member) {
  if (room.state != State::Ready || !member.told || member.subBusy) return;
  std::set<std::uint64_t> wanted;
  for (const auto& other : room.members) {
    if (other.peer == member.peer || !other.published || other.feed == 0) continue;
    // A viewer sees the host only; the host and members see every publisher.
    wanted.insert(other.feed);
  }
  std::vector<janus::StreamRef> add;
  std::vector<janus::StreamRef> drop;
  for (auto feed : wanted)
    if (!member.feeds.count(feed)) add.push_back({feed, ""});
  for (auto feed : member.feeds)
    if (!wanted.count(feed)) drop.push_back({feed, ""});
  if (add.empty() && drop.empty()) return;
  member.subBusy = true;
  member.feeds = wanted;
  std::erase_if(member.wants, [&](const auto& want) { return !wanted.count(want.first); });
  const Ref ref{roomId, member.peer, room.epoch};
  auto weak = weak_from_this();
  if (member.sub != 0) {
    videoRoom_->update(member.sub, std::move(add), std::move(drop),
                       [this, ref, handle = member.sub,
                        weak](janus::JanusResult<janus::Subscription> result) {
                         if (weak.lock()) subscribed(ref, handle, std::move(result));
                       });
    return;
  }
  attachFor(
      ref,
      [this, ref, add = std::move(add), weak](Member& m, std::uint64_t handle) {
        m.sub = handle;
        subscribers_[m.sub] = {ref.room, ref.peer};
        videoRoom_->subscribe(m.sub, rooms_.at(ref.room).keys, m.privateId, add,
                              [this, ref, handle, weak](janus::JanusResult<janus::Subscription> result) {
                                if (weak.lock()) subscribed(ref, handle, std::move(result));
                              });
      },
      [](Member& m) {  // asked again at the next change, as after a failed subscribe
        m.subBusy = false;
        m.feeds.clear();
      });
}

void SfuRooms::subscribed(const Ref& ref, std::uint64_t handle,
                          janus::JanusResult<janus::Subscription> result) {
  Member* m = find(ref);
  if (!m || m->sub != handle) return;  // hung up since (subscriberHungUp)
  if (!result.ok()) {
    log::warn("janus_subscribe", {{"reason", result.error().reason}});
    m->subBusy = false;
    m->feeds.clear();  // asked again at the next change
    return;
  }
  m->streams = result.value().streams;
  if (!result.value().offer) {
    m->subBusy = false;
    return reconcile(ref.room, rooms_.at(ref.room), *m);
  }
  // subBusy stays until the client's sfu-answer has been handed to Janus.
  send_(ref.room, ref.peer,
        SfuOffer{result.value().offer->sdp, streamsFor(rooms_.at(ref.room), m->streams)});
}

std::vector<SfuStream> SfuRooms::streamsFor(const Room& room,
                                            const std::vector<janus::SubscribedStream>& in) const {
  std::vector<SfuStream> out;
  for (const auto& stream : in) {
    if (!stream.active || (stream.type != "audio" && stream.type != "video")) continue;
    const auto owner = std::find_if(room.members.begin(), room.members.end(),
                                    [&](const Member& m) { return m.feed == stream.feed; });
    if (owner == room.members.end()) continue;  // a feed that just left
    out.push_back({stream.mid, owner->peer, stream.type});
  }
  return out;
}

void SfuRooms::onLayer(const std::string& roomId, Room& room, Member& member,
                       const SfuLayer& layer) {
  const auto owner = std::find_if(room.members.begin(), room.members.end(),
                                  [&](const Member& m) { return m.peer == layer.peer; });
  if (owner == room.members.end() || owner->feed == 0 || !member.feeds.count(owner->feed)) {
    sendError(roomId, member.peer, ErrorCode::UnknownPeer,
              "no video of '" + layer.peer + "' reaches you in this room", "sfu-layer");
    return;
  }
  std::vector<janus::LayerChoice> choices;
  for (const auto& stream : member.streams) {
    if (stream.feed != owner->feed || stream.type != "video") continue;
    janus::LayerChoice choice;
    choice.mid = stream.mid;
    choice.send = layer.layer != Layer::Off;
    if (layer.layer != Layer::Off) choice.substream = substreamOf(layer.layer);
    choices.push_back(choice);
  }
  member.wants[owner->feed] = layer.layer;
  tellSendLayers(roomId, room);
  if (choices.empty() || member.sub == 0) return;
  videoRoom_->configureLayers(member.sub, std::move(choices), [](auto) {});
}

void SfuRooms::tellSendLayers(const std::string& roomId, Room& room) {
  if (room.state != State::Ready) return;
  for (auto& owner : room.members) {
    if (owner.feed == 0 || !owner.published) continue;
    Layer top = Layer::Off;
    for (const auto& member : room.members) {
      if (&member == &owner || !member.feeds.count(owner.feed)) continue;
      const auto wanted = member.wants.find(owner.feed);
      top = moreOf(top, wanted == member.wants.end() ? Layer::Low : wanted->second);
    }
    if (owner.sendLayer == top) continue;
    owner.sendLayer = top;
    send_(roomId, owner.peer, SfuSendLayer{top});
  }
}

void SfuRooms::release(Member& member) {
  if (client_->sessionReady()) {
    if (member.pub != 0) videoRoom_->detach(member.pub, [](auto) {});
    if (member.sub != 0) videoRoom_->detach(member.sub, [](auto) {});
  }
  if (member.sub != 0) subscribers_.erase(member.sub);
  if (member.pub != 0) publishers_.erase(member.pub);
  const std::string peer = member.peer;
  const protocol::Role role = member.role;
  const bool sfu = member.sfu;
  member = Member{};
  member.peer = peer;
  member.role = role;
  member.sfu = sfu;
}

// ---- Janus ----

void SfuRooms::onJanusEvent(const janus::Incoming& in) {
  const janus::RoomEvent event = janus::toRoomEvent(in);
  if (const auto pub = publishers_.find(event.handle); pub != publishers_.end()) {
    Member* m = find(pub->second.first, pub->second.second);
    if (!m) return;
    const bool up = event.kind == janus::RoomEvent::Kind::WebrtcUp;
    if (!up && event.kind != janus::RoomEvent::Kind::Hangup) return;
    // Up: everyone else subscribes to the new feed. Hung up (its PeerConnection is gone, its
    // ICE failed or a DTLS alert came): Janus drops the feed from every subscription, and the
    // page makes a new connection whose offer publishes again.
    m->published = up;
    m->sendLayer.reset();  // a new upload starts at its lowest layer: tell it what is watched
    if (!up) {
      log::info("sfu_hangup", {{"room", pub->second.first}, {"peer", m->peer}, {"link", "publisher"}});
      m->offered = false;
      ++m->pubHangups;
      m->pendingOffer.reset();  // an offer of the old connection
      send_(pub->second.first, m->peer, SfuHangup{SfuLink::Publisher});
    }
    return update(pub->second.first);
  }
  if (event.kind == janus::RoomEvent::Kind::Hangup) {
    const auto sub = subscribers_.find(event.handle);
    if (sub == subscribers_.end()) return;
    const std::string roomId = sub->second.first;
    if (Member* m = find(roomId, sub->second.second)) subscriberHungUp(roomId, *m);
    return;
  }
  if (event.kind != janus::RoomEvent::Kind::SubscriptionUpdated) return;
  const auto it = subscribers_.find(event.handle);
  if (it == subscribers_.end()) return;
  Member* m = find(it->second.first, it->second.second);
  if (!m) return;
  Room& room = rooms_.at(it->second.first);
  // Janus renegotiates a subscription itself when a feed goes: the new offer goes to the
  // client like any other.
  m->streams = event.streams;
  std::set<std::uint64_t> feeds;
  for (const auto& stream : m->streams)
    if (stream.active && stream.feed != 0) feeds.insert(stream.feed);
  m->feeds = feeds;
  std::erase_if(m->wants, [&](const auto& want) { return !feeds.count(want.first); });
  if (event.jsep && event.jsep->type == "offer") {
    m->subBusy = true;
    send_(it->second.first, m->peer, SfuOffer{event.jsep->sdp, streamsFor(room, m->streams)});
  }
  tellSendLayers(it->second.first, room);
}

void SfuRooms::subscriberHungUp(const std::string& roomId, Member& member) {
  log::info("sfu_hangup", {{"room", roomId}, {"peer", member.peer}, {"link", "subscriber"}});
  // The old handle goes with whatever was pending on it: its completions find another handle
  // (or none) on the member and drop what they carry.
  videoRoom_->detach(member.sub, [](auto) {});
  subscribers_.erase(member.sub);
  member.sub = 0;
  member.subBusy = false;
  member.restartAsked = false;
  member.feeds.clear();
  member.streams.clear();
  member.wants.clear();
  send_(roomId, member.peer, SfuHangup{SfuLink::Subscriber});
  update(roomId);  // subscribes it again on a new handle: a new offer follows
}

// Janus restarted (or the connection dropped): every room, handle and feed of the old session
// is gone. Rooms on the video server are made again under a new epoch, which tells their
// members to republish and resubscribe; rooms that wanted it and could not have it move now.
void SfuRooms::onSessionUp(std::uint64_t generation) {
  log::info("janus_session", {{"generation", std::to_string(generation)}});
  subscribers_.clear();
  publishers_.clear();
  std::vector<std::string> ids;
  for (auto& [id, room] : rooms_) {
    if (room.state != State::Mesh) {
      for (auto& member : room.members) {
        member.pub = member.sub = 0;  // gone with the session: nothing to detach
        release(member);
      }
      room.state = State::Mesh;
    }
    room.toldUnavailable = false;
    ids.push_back(id);
  }
  for (const auto& id : ids) update(id);
}

void SfuRooms::onSessionDown() {
  for (auto& [id, room] : rooms_) {
    if (room.state == State::Mesh) continue;
    for (const auto& member : room.members)
      sendError(id, member.peer, ErrorCode::SfuUnavailable,
                std::string(kUnavailable) + ": reconnecting to it", "");
  }
}

// ---- helpers ----

SfuRooms::Member* SfuRooms::find(const Ref& ref) {
  const auto it = rooms_.find(ref.room);
  if (it == rooms_.end() || it->second.epoch != ref.epoch || it->second.state != State::Ready)
    return nullptr;
  return find(ref.room, ref.peer);
}

SfuRooms::Member* SfuRooms::find(const std::string& roomId, const std::string& peer) {
  const auto it = rooms_.find(roomId);
  if (it == rooms_.end()) return nullptr;
  for (auto& member : it->second.members)
    if (member.peer == peer) return &member;
  return nullptr;
}

void SfuRooms::sendError(const std::string& roomId, const std::string& peer, ErrorCode code,
                         std::string message, std::string type) {
  send_(roomId, peer, ErrorMsg{code, std::move(message), std::move(type)});
}

}  // namespace vroom::server
