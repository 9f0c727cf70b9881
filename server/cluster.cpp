// Cluster (cluster.hpp): where each client's messages go, the relay both ways over the bus,
// and the once-a-second heartbeat that keeps rooms owned, resume tokens known and notices
// nodes that died. A relay message is "TYPE\nLINK-KEY\nBODY": the body (a client's text or a
// frame for it) travels as raw bytes, never re-encoded, so any text a client sends crosses
// nodes unchanged and the owner's registry judges it exactly as a local one would.
#include "cluster.hpp"

#include <charconv>

#include <boost/asio/post.hpp>

#include "log.hpp"
#include "protocol.hpp"
#include "server_state.hpp"

namespace vroom::server {

namespace net = boost::asio;

namespace {

TimePoint steadyNow() {
  return std::chrono::steady_clock::now();
}

// Which messages decide where a client belongs: a create/join names a room, a hello with a
// resume token names a session. The cheap substring test keeps decoding off the rest.
struct Route {
  std::string room;
  std::string resumeToken;
};
std::optional<Route> routeOf(std::string_view text) {
  const bool maybe = text.find("\"create\"") != std::string_view::npos ||
                     text.find("\"join\"") != std::string_view::npos ||
                     text.find("resumeToken") != std::string_view::npos;
  if (!maybe) return std::nullopt;
  auto decoded = protocol::decode(text, protocol::Sender::Client);
  if (!decoded) return std::nullopt;
  const auto& message = decoded.value();
  if (const auto* create = std::get_if<protocol::Create>(&message)) return Route{create->room, {}};
  if (const auto* join = std::get_if<protocol::Join>(&message)) return Route{join->room, {}};
  if (const auto* hello = std::get_if<protocol::Hello>(&message))
    if (!hello->resumeToken.empty()) return Route{{}, hello->resumeToken};
  return std::nullopt;
}

std::string envelope(std::string_view type, std::string_view key, std::string_view body = {}) {
  std::string out;
  out.reserve(type.size() + key.size() + body.size() + 2);
  out.append(type).append(1, '\n').append(key).append(1, '\n').append(body);
  return out;
}

// Signals are most of the traffic and never change a room's state: no save is scheduled for
// them (a chat quoting the word is saved by the periodic export instead).
bool mayChangeRoom(std::string_view text) {
  return text.find("\"signal\"") == std::string_view::npos;
}

// Splits off the text up to the next newline (all of it when there is none).
std::string_view nextLine(std::string_view& rest) {
  const auto nl = rest.find('\n');
  const std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  return line;
}

// A peer moving between nodes as the lines of a bus message: its peer id, resume token and
// address, the room its node found owned by the receiver (empty when not known), and "sfu"
// when its hello said it can use the video server. Lines a node does not know come last and
// are ignored by it, so nodes of the previous version read these messages as before.
std::string handoffLines(const RoomRegistry::Handoff& handoff, std::string_view room = {}) {
  std::string out = handoff.peerId + "\n" + handoff.resumeToken + "\n" + handoff.address + "\n";
  out.append(room).append(handoff.sfu ? "\nsfu" : "\n");
  return out;
}
RoomRegistry::Handoff readHandoff(std::string_view& body, std::string* room = nullptr) {
  RoomRegistry::Handoff handoff;
  handoff.peerId = nextLine(body);
  handoff.resumeToken = nextLine(body);
  handoff.address = nextLine(body);
  const std::string_view roomLine = nextLine(body);
  if (room) *room = roomLine;
  handoff.sfu = nextLine(body) == "sfu";
  return handoff;
}

}  // namespace

// A client of another node as the registry sees it: frames go back over the bus.
class Cluster::RemoteSink : public ClientSink {
 public:
  RemoteSink(Cluster& cluster, std::string key, std::string from)
      : cluster_(cluster), key_(std::move(key)), from_(std::move(from)) {}
  void send(const std::string& frame) override {
    cluster_.relay(from_, envelope("frame", key_, frame));
  }
  void close(int code, std::string_view reason) override {
    cluster_.relay(from_,
                   envelope("close", key_, std::to_string(code) + "\n" + std::string(reason)));
    net::post(cluster_.ioc_, [&cluster = cluster_, key = key_] {
      if (cluster.hosted_.erase(key) != 0) --cluster.stats_.hosted;
    });
  }

 private:
  Cluster& cluster_;
  std::string key_;
  std::string from_;
};

Cluster::Cluster(ClusterBus& bus, SharedRegistry& registry, net::io_context& ioc,
                 std::string nodeId, std::chrono::milliseconds resumeWindow)
    : bus_(bus),
      registry_(registry),
      ioc_(ioc),
      nodeId_(std::move(nodeId)),
      resumeWindow_(resumeWindow),
      timer_(std::in_place, ioc),
      saveTimer_(std::in_place, ioc),
      replayTimer_(std::in_place, ioc) {}

Cluster::~Cluster() = default;

void Cluster::start() {
  bus_.listen(nodeId_, [this](std::string_view message) { onBusMessage(message); });
  bus_.onUp([this] {
    // Redis may have restarted empty: rooms, resume tokens and room states are written again,
    // then what was held while it was down follows, once every node has had time to subscribe.
    busUpAt_ = steadyNow();
    saved_.clear();
    tokensPut_.clear();
    keepOwnership();
    markChanged();
    if (!held_.empty() && replayTimer_) {
      replayTimer_->expires_after(kReplayAfter);
      replayTimer_->async_wait([this](const boost::system::error_code& ec) {
        if (!ec) replayHeld();
      });
    }
  });
  tick();
}

void Cluster::stop() {
  stopped_ = true;
  timer_.reset();
  saveTimer_.reset();
  replayTimer_.reset();
}

Cluster::LinkId Cluster::open(ClientSink& sink, std::string address) {
  const std::lock_guard lock(mutex_);
  const LinkId id = nextLink_++;
  Link& link = links_[id];
  link.sink = &sink;
  registry_.with(
      [&](RoomRegistry& r) { link.conn = r.connect(sink, steadyNow(), std::move(address)); });
  return id;
}

void Cluster::receive(LinkId id, std::string_view text) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  Link& link = it->second;
  switch (link.state) {
    case State::Remote:
      // A create/join from a client whose room lived elsewhere: the new room's owner may be
      // another node, which the peer must then move to (settle()).
      if (auto route = routeOf(text); route && route->resumeToken.empty()) {
        link.state = State::Resolving;
        link.pending.emplace_back(text);
        net::post(ioc_, [this, id, room = std::move(route->room)] { resolve(id, room, false); });
        return;
      }
      relay(link.owner, envelope("msg", keyOf(id), text));
      return;
    case State::Resolving:
      // Only while Redis answers one lookup; a client that sends this much meanwhile is
      // flooding (the owner's rate limit has not seen these yet).
      if (link.pending.size() >= kMaxPending) return link.sink->close(1008, "flooding");
      link.pending.emplace_back(text);
      return;
    case State::Local:
      break;
  }
  if (auto route = routeOf(text)) {
    const bool resuming = !route->resumeToken.empty();
    const bool hasPeer =
        registry_.with([&](RoomRegistry& r) { return r.peerIdOf(link.conn).has_value(); });
    // A create/join before hello, or a hello after one, is the registry's to refuse.
    if (resuming != hasPeer) {
      link.state = State::Resolving;
      link.pending.emplace_back(text);
      net::post(ioc_, [this, id, route = std::move(*route), resuming] {
        if (!resuming) return resolve(id, route.room, false);
        bus_.roomOfResume(route.resumeToken, [this, id](std::optional<std::string> room) {
          if (!room) return settle(id, nodeId_, {}, true);  // unknown to the cluster: ours
          resolve(id, *room, true);
        });
      });
      return;
    }
  }
  registry_.with([&](RoomRegistry& r) { r.receive(link.conn, text, steadyNow()); });
  if (mayChangeRoom(text)) markChanged();
}

void Cluster::resolve(LinkId id, const std::string& room, bool resuming) {
  bus_.claimRoom(room, nodeId_, kRoomTtl,
                 [this, id, room, resuming](std::optional<RoomClaim> claim) {
                   if (claim && claim->owner == nodeId_) takeOver(room, claim->state);
                   if (!claim) {
                     ++stats_.busDownLocal;
                     claimed_[room] = steadyNow();
                   }
                   settle(id, ownerOf(claim), room, resuming);
                 });
}

// On the bus thread, in the claim's answer: nothing of the room's members can reach this
// node's registry before it is rebuilt (they learn the owner from a later claim).
// The state is rebuilt only when another node saved it: one this node saved itself is older
// than its own registry (the room closed here since, and the save that drops it has not run),
// and rebuilding it would bring back members that left for other rooms, possibly other nodes.
void Cluster::takeOver(const std::string& room, const std::string& state) {
  claimed_[room] = steadyNow();
  if (state.empty() || saved_.count(room) != 0) return;
  const auto parsed = nlohmann::json::parse(state, nullptr, false);
  std::optional<std::size_t> restored;
  registry_.with([&](RoomRegistry& r) {
    if (!r.roomMode(room)) restored = r.importState(parsed, steadyNow());
  });
  if (!restored) return;  // held here already, or state nobody should trust: nothing changes
  ++stats_.roomsTakenOver;
  log::info("cluster_room_taken_over", {{"room", room}, {"peers", std::to_string(*restored)}});
  markChanged();
}

// On the bus thread: the owner is known (nullopt: the bus is down, the room is served here).
void Cluster::settle(LinkId id, const std::optional<std::string>& owner, const std::string& room,
                     bool resuming) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  Link& link = it->second;
  const std::string key = keyOf(id);
  if (!link.owner.empty()) {  // relayed already: stay, or ask the owner to let it go
    if (!owner || *owner == link.owner) return flushRemote(id, link);
    send(link.owner, envelope("move", key, *owner));
    ++stats_.relayedOut;
    return;  // still Resolving: "moved" or "stay" comes back (onBusMessage)
  }
  if (!owner || *owner == nodeId_) return flushLocal(link);
  RoomRegistry::Handoff moving;  // empty peer id: a resuming client, its hello follows
  bool moved = false;
  registry_.with([&](RoomRegistry& r) {
    if (resuming) {
      // Said nothing yet: nothing to keep but its address (the owner's per-address limits).
      moving.address = r.addressOf(link.conn);
      r.disconnect(link.conn, steadyNow());
      moved = true;
    } else if (auto handoff = r.release(link.conn)) {
      moving = std::move(*handoff);
      moved = true;
    }
  });
  if (!moved) return flushLocal(link);  // e.g. already in a room here: the registry says so
  tokensPut_.erase(moving.resumeToken);   // the owner writes it now; if it comes back, so do we
  link.state = State::Remote;
  link.owner = *owner;
  link.conn = 0;
  ++stats_.handedOff;
  ++stats_.remote;
  send(*owner, envelope("open", key, nodeId_ + "\n" + handoffLines(moving, room)));
  ++stats_.relayedOut;
  for (auto& text : link.pending) {
    send(*owner, envelope("msg", key, text));
    ++stats_.relayedOut;
  }
  link.pending.clear();
}

// On the bus thread, with mutex_: what waited goes to the owner, in order.
void Cluster::flushRemote(LinkId id, Link& link) {
  link.state = State::Remote;
  for (const auto& text : link.pending) {
    send(link.owner, envelope("msg", keyOf(id), text));
    ++stats_.relayedOut;
  }
  link.pending.clear();
}

// On the bus thread, with mutex_: the old owner released the peer; `to` takes it in.
void Cluster::moveTo(LinkId id, Link& link, const std::string& to,
                     const RoomRegistry::Handoff& handoff) {
  if (to == nodeId_) {
    registry_.with([&](RoomRegistry& r) { link.conn = r.adopt(*link.sink, steadyNow(), handoff); });
    link.owner.clear();
    --stats_.remote;
    if (link.conn == 0) {
      link.sink->close(1011, "peer id taken");
      link.pending.clear();
      return;
    }
    return flushLocal(link);
  }
  link.owner = to;
  ++stats_.handedOff;
  send(to, envelope("open", keyOf(id), nodeId_ + "\n" + handoffLines(handoff)));
  ++stats_.relayedOut;
  flushRemote(id, link);
}

void Cluster::flushLocal(Link& link) {
  link.state = State::Local;
  registry_.with([&](RoomRegistry& r) {
    for (const auto& text : link.pending) r.receive(link.conn, text, steadyNow());
  });
  link.pending.clear();
  markChanged();
}

void Cluster::control(LinkId id) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end() || it->second.state == State::Remote) return;  // liveness only
  registry_.with([&](RoomRegistry& r) { r.control(it->second.conn, steadyNow()); });
}

void Cluster::drain(LinkId id) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end() || it->second.state == State::Remote) return;
  registry_.with([&](RoomRegistry& r) { r.drain(it->second.conn); });
}

void Cluster::disconnect(LinkId id) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  if (!it->second.owner.empty()) {
    relay(it->second.owner, envelope("gone", keyOf(id)));
    --stats_.remote;
  } else {
    registry_.with([&](RoomRegistry& r) { r.disconnect(it->second.conn, steadyNow()); });
    markChanged();
  }
  links_.erase(it);
}

void Cluster::goingAway(LinkId id) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  if (!it->second.owner.empty()) {
    relay(it->second.owner, envelope("away", keyOf(id)));
    --stats_.remote;
  } else {
    registry_.with([&](RoomRegistry& r) { r.goingAway(it->second.conn, steadyNow()); });
    markChanged();
  }
  links_.erase(it);
}

void Cluster::relay(const std::string& node, std::string message) {
  if (stopped_) return;
  ++stats_.relayedOut;
  net::post(ioc_, [this, node, message = std::move(message)]() mutable {
    if (!stopped_) send(node, std::move(message));
  });
}

// Pub/sub keeps nothing for a node that is not listening, so while the bus is down messages
// wait here, and in order after it: a call whose Redis blinks loses no signal or chat.
void Cluster::send(const std::string& node, std::string message) {
  if (held_.empty() && bus_.up()) return bus_.publish(node, std::move(message));
  if (held_.size() >= kMaxHeld || heldBytes_ + message.size() > kMaxHeldBytes) {
    ++stats_.dropped;
    return;
  }
  heldBytes_ += message.size();
  held_.emplace_back(node, std::move(message));
  stats_.held = held_.size();
}

void Cluster::replayHeld() {
  if (stopped_ || !bus_.up()) return;  // down again: the next onUp replays
  for (auto& [node, message] : held_) bus_.publish(node, std::move(message));
  held_.clear();
  heldBytes_ = 0;
  stats_.held = 0;
}

void Cluster::markChanged() {
  if (stopped_ || changed_.exchange(true)) return;
  net::post(ioc_, [this] {
    if (stopped_ || !saveTimer_) return;
    saveTimer_->expires_after(kSaveDelay);
    saveTimer_->async_wait([this](const boost::system::error_code& ec) {
      if (!ec) save();
    });
  });
}

// Each room this node holds, exported under its own short lock (never all rooms under one),
// written when it changed or half its expiry passed; rooms that closed are dropped. Resume
// tokens go the same way, so a client can find its room's new owner.
void Cluster::save() {
  changed_ = false;
  if (stopped_ || !bus_.up()) return;
  const TimePoint now = steadyNow();
  const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(
      resumeWindow_ + std::chrono::seconds(10));
  const auto tokens = registry_.with([](RoomRegistry& r) { return r.resumeTokens(); });
  // A token is told again when its peer is in another room than the bus last heard (it left
  // and joined elsewhere between two saves), or half its expiry passed.
  std::vector<std::pair<std::string, std::string>> due;
  std::map<std::string, Saved> kept;
  for (const auto& [token, room] : tokens) {
    const auto put = tokensPut_.find(token);
    if (put == tokensPut_.end() || put->second.state != room || now - put->second.at > ttl / 2) {
      due.emplace_back(token, room);
      kept[token] = Saved{room, now};
    } else {
      kept[token] = put->second;
    }
  }
  tokensPut_ = std::move(kept);
  if (!due.empty()) bus_.putResume(due, ttl);

  const auto rooms = registry_.with([](RoomRegistry& r) { return r.roomIds(); });
  std::map<std::string, Saved> next;
  for (const auto& room : rooms) {
    const auto exported = registry_.with([&](RoomRegistry& r) { return r.exportState(room); });
    if (exported["rooms"].empty()) continue;  // closed since roomIds()
    std::string state = exported.dump();
    const auto old = saved_.find(room);
    if (old != saved_.end() && old->second.state == state && now - old->second.at < ttl / 2) {
      next.emplace(room, std::move(old->second));
      continue;
    }
    bus_.saveRoom(room, nodeId_, state, ttl);
    ++stats_.roomsSaved;
    next.emplace(room, Saved{std::move(state), now});
  }
  for (const auto& entry : saved_)
    if (next.count(entry.first) == 0) bus_.dropRoom(entry.first, nodeId_);
  saved_ = std::move(next);
}

// On the bus thread. Anything another node (or anyone who can publish to Redis) sends is
// checked before use: a malformed message is dropped, never trusted.
void Cluster::onBusMessage(std::string_view text) {
  ++stats_.relayedIn;
  std::string_view body = text;
  const std::string_view type = nextLine(body);
  const std::string key(nextLine(body));
  if (key.empty()) return;
  if (type == "frame" || type == "close" || type == "moved" ||
      type == "stay") {  // for a client connected here
    const auto slash = key.rfind('/');
    if (slash == std::string::npos || key.compare(0, slash, nodeId_) != 0) return;
    LinkId id = 0;
    const char* digits = key.data() + slash + 1;
    const auto [end, ec] = std::from_chars(digits, key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size()) return;
    const std::lock_guard lock(mutex_);
    const auto it = links_.find(id);
    if (it == links_.end() || it->second.owner.empty()) return;
    if (type == "stay") {
      if (it->second.state == State::Resolving) flushRemote(id, it->second);
      return;
    }
    if (type == "moved") {
      if (it->second.state != State::Resolving) return;
      const std::string to(nextLine(body));
      const RoomRegistry::Handoff handoff = readHandoff(body);
      if (to.empty() || handoff.peerId.empty()) return;
      return moveTo(id, it->second, to, handoff);
    }
    if (type == "frame") {
      it->second.sink->send(std::string(body));
      return;
    }
    const std::string_view codeText = nextLine(body);
    int code = 0;
    const auto parsed = std::from_chars(codeText.data(), codeText.data() + codeText.size(), code);
    if (parsed.ec != std::errc() || code < 1000 || code > 4999) code = 1011;
    it->second.sink->close(code, body.substr(0, 120));  // a close reason fits in 123 bytes
    links_.erase(it);
    --stats_.remote;
    return;
  }
  onHostedMessage(type, key, body);
}

void Cluster::onHostedMessage(std::string_view type, const std::string& key,
                              std::string_view body) {
  if (type == "open") {
    const std::string from(nextLine(body));
    std::string room;  // the room the client's node found owned here
    const RoomRegistry::Handoff handoff = readHandoff(body, &room);
    if (from.empty() || hosted_.count(key) != 0) return;
    const bool known =
        room.empty() || claimed_.count(room) != 0 ||
        registry_.with([&](RoomRegistry& r) { return r.roomMode(room).has_value(); });
    if (known) return openHosted(key, from, handoff);
    // The client's node learnt from Redis that this node owns the room before this node
    // read its own claim's answer (another connection): claim again, which Redis answers after
    // the first, so a room taken over is rebuilt before the client's hello reaches it.
    Hosted& hosted = hosted_[key];
    hosted.from = from;
    hosted.waiting.emplace();
    bus_.claimRoom(room, nodeId_, kRoomTtl,
                   [this, key, from, handoff, room](std::optional<RoomClaim> claim) {
                     const auto it = hosted_.find(key);
                     if (it == hosted_.end() || !it->second.waiting) return;
                     auto waiting = std::move(*it->second.waiting);
                     hosted_.erase(it);
                     if (claim && claim->owner != nodeId_) {  // moved on: resume there
                       relay(from, envelope("close", key, "1012\nroom's node changed: resume"));
                       return;
                     }
                     if (claim) takeOver(room, claim->state);
                     openHosted(key, from, handoff);
                     for (const auto& [type, text] : waiting) onHostedMessage(type, key, text);
                   });
    return;
  }
  const auto it = hosted_.find(key);
  if (it == hosted_.end()) return;
  if (it->second.waiting) {
    if (it->second.waiting->size() < kMaxPending) it->second.waiting->emplace_back(type, body);
    return;
  }
  const ConnectionId conn = it->second.conn;
  if (type == "move") {  // the client enters a room another node owns: let it go there
    const std::string to(nextLine(body));
    std::optional<RoomRegistry::Handoff> handoff;
    registry_.with([&](RoomRegistry& r) { handoff = r.release(conn); });
    if (!handoff || to.empty()) {  // still in a room here: the registry will say so
      relay(it->second.from, envelope("stay", key));
      return;
    }
    tokensPut_.erase(handoff->resumeToken);  // its next node writes it; so do we if it returns
    relay(it->second.from, envelope("moved", key, to + "\n" + handoffLines(*handoff)));
    auto hosted = std::move(it->second);
    hosted_.erase(it);
    --stats_.hosted;
    return;
  }
  if (type == "msg") {
    registry_.with([&](RoomRegistry& r) { r.receive(conn, body, steadyNow()); });
    if (mayChangeRoom(body)) markChanged();
  } else if (type == "gone" || type == "away") {
    markChanged();
    // Taken out of hosted_ before the registry hears of it, destroyed after.
    auto hosted = std::move(it->second);
    hosted_.erase(it);
    --stats_.hosted;
    registry_.with([&](RoomRegistry& r) {
      if (type == "gone") {
        r.disconnect(conn, steadyNow());
      } else {
        r.goingAway(conn, steadyNow());
      }
    });
  }
}

void Cluster::openHosted(const std::string& key, const std::string& from,
                         const RoomRegistry::Handoff& handoff) {
  Hosted hosted{std::make_unique<RemoteSink>(*this, key, from), 0, from, std::nullopt};
  registry_.with([&](RoomRegistry& r) {
    hosted.conn = handoff.peerId.empty() ? r.connect(*hosted.sink, steadyNow(), handoff.address)
                                         : r.adopt(*hosted.sink, steadyNow(), handoff);
  });
  if (hosted.conn == 0) {
    relay(from, envelope("close", key, "1011\npeer id taken"));
    return;
  }
  hosted_.emplace(key, std::move(hosted));
  ++stats_.hosted;
}

// The heartbeat, and the rooms this node holds: the registry's, and the ones claimed lately
// that it has not created yet.
void Cluster::keepOwnership() {
  const TimePoint now = steadyNow();
  bus_.heartbeat(nodeId_, kHeartbeatTtl);
  std::vector<std::string> rooms = registry_.with([](RoomRegistry& r) { return r.roomIds(); });
  for (auto it = claimed_.begin(); it != claimed_.end();) {
    if (now - it->second > kRoomTtl) {
      it = claimed_.erase(it);
    } else {
      rooms.push_back(it->first);
      ++it;
    }
  }
  bus_.keepRooms(rooms, nodeId_, kRoomTtl);
}

void Cluster::tick() {
  if (stopped_) return;
  if (bus_.up()) {
    keepOwnership();
    if (++ticks_ % kTicksPerSave == 0) save();
    checkNodes();
  }
  timer_->expires_after(kTick);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

// Nodes this one relays for or to: a node whose heartbeat ran out is gone. Its clients hosted
// here enter their resume window (they may come back through another node); clients here in
// rooms it owned are closed with 1012 so they reconnect and resume wherever the room is now.
void Cluster::checkNodes() {
  std::set<std::string> nodes;
  for (const auto& [key, hosted] : hosted_) nodes.insert(hosted.from);
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, link] : links_)
      if (!link.owner.empty()) nodes.insert(link.owner);
  }
  if (nodes.empty() || steadyNow() - busUpAt_ < kHeartbeatTtl) return;
  std::vector<std::string> list(nodes.begin(), nodes.end());
  bus_.liveNodes(list, [this, list](std::optional<std::vector<bool>> live) {
    if (!live || stopped_) return;
    std::set<std::string> dead;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!(*live)[i]) dead.insert(list[i]);
    if (dead.empty()) return;
    for (const auto& node : dead) log::warn("cluster_node_lost", {{"node", node}});
    stats_.nodesLost += dead.size();
    for (auto it = hosted_.begin(); it != hosted_.end();) {
      if (dead.count(it->second.from) == 0) {
        ++it;
        continue;
      }
      const ConnectionId conn = it->second.conn;
      const bool opened = !it->second.waiting;
      auto hosted = std::move(it->second);
      it = hosted_.erase(it);
      if (!opened) continue;
      --stats_.hosted;
      registry_.with([&](RoomRegistry& r) { r.disconnect(conn, steadyNow()); });
      markChanged();
    }
    const std::lock_guard lock(mutex_);
    for (auto it = links_.begin(); it != links_.end();) {
      if (!it->second.owner.empty() && dead.count(it->second.owner) != 0) {
        it->second.sink->close(1012, "room's node is gone: resume");
        it = links_.erase(it);
        --stats_.remote;
      } else {
        ++it;
      }
    }
  });
}

}  // namespace vroom::server
