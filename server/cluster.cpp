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

// Splits off the text up to the next newline (all of it when there is none).
std::string_view nextLine(std::string_view& rest) {
  const auto nl = rest.find('\n');
  const std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  return line;
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
      timer_(std::in_place, ioc) {}

Cluster::~Cluster() = default;

void Cluster::start() {
  bus_.listen(nodeId_, [this](std::string_view message) { onBusMessage(message); });
  bus_.onUp([this] { bus_.heartbeat(nodeId_, kHeartbeatTtl); });
  tick();
}

void Cluster::stop() {
  stopped_ = true;
  timer_.reset();
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
          if (!room) return settle(id, nodeId_, true);  // unknown to the cluster: ours
          resolve(id, *room, true);
        });
      });
      return;
    }
  }
  registry_.with([&](RoomRegistry& r) { r.receive(link.conn, text, steadyNow()); });
}

void Cluster::resolve(LinkId id, const std::string& room, bool resuming) {
  bus_.claimRoom(room, nodeId_, kRoomTtl,
                 [this, id, room, resuming](std::optional<std::string> owner) {
                   if (owner == nodeId_) claimed_[room] = steadyNow();
                   if (!owner) {
                     ++stats_.busDownLocal;
                     claimed_[room] = steadyNow();
                   }
                   settle(id, owner, resuming);
                 });
}

// On the bus thread: the owner is known (nullopt: the bus is down, the room is served here).
void Cluster::settle(LinkId id, const std::optional<std::string>& owner, bool resuming) {
  const std::lock_guard lock(mutex_);
  const auto it = links_.find(id);
  if (it == links_.end()) return;
  Link& link = it->second;
  const std::string key = keyOf(id);
  if (!link.owner.empty()) {  // relayed already: stay, or ask the owner to let it go
    if (!owner || *owner == link.owner) return flushRemote(id, link);
    bus_.publish(link.owner, envelope("move", key, *owner));
    ++stats_.relayedOut;
    return;  // still Resolving: "moved" or "stay" comes back (onBusMessage)
  }
  if (!owner || *owner == nodeId_) return flushLocal(link);
  RoomRegistry::Handoff moving;  // empty peer id: a resuming client, its hello follows
  bool moved = false;
  registry_.with([&](RoomRegistry& r) {
    if (resuming) {
      r.disconnect(link.conn, steadyNow());  // said nothing yet: nothing to keep
      moved = true;
    } else if (auto handoff = r.release(link.conn)) {
      moving = std::move(*handoff);
      moved = true;
    }
  });
  if (!moved) return flushLocal(link);  // e.g. already in a room here: the registry says so
  link.state = State::Remote;
  link.owner = *owner;
  link.conn = 0;
  ++stats_.handedOff;
  ++stats_.remote;
  bus_.publish(*owner, envelope("open", key,
                                nodeId_ + "\n" + moving.peerId + "\n" + moving.resumeToken + "\n" +
                                    moving.address));
  ++stats_.relayedOut;
  for (auto& text : link.pending) {
    bus_.publish(*owner, envelope("msg", key, text));
    ++stats_.relayedOut;
  }
  link.pending.clear();
}

// On the bus thread, with mutex_: what waited goes to the owner, in order.
void Cluster::flushRemote(LinkId id, Link& link) {
  link.state = State::Remote;
  for (const auto& text : link.pending) {
    bus_.publish(link.owner, envelope("msg", keyOf(id), text));
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
  bus_.publish(to, envelope("open", keyOf(id),
                            nodeId_ + "\n" + handoff.peerId + "\n" + handoff.resumeToken + "\n" +
                                handoff.address));
  ++stats_.relayedOut;
  flushRemote(id, link);
}

void Cluster::flushLocal(Link& link) {
  link.state = State::Local;
  registry_.with([&](RoomRegistry& r) {
    for (const auto& text : link.pending) r.receive(link.conn, text, steadyNow());
  });
  link.pending.clear();
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
  }
  links_.erase(it);
}

void Cluster::relay(const std::string& node, std::string message) {
  if (stopped_) return;
  ++stats_.relayedOut;
  net::post(ioc_, [this, node, message = std::move(message)]() mutable {
    bus_.publish(node, std::move(message));
  });
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
      RoomRegistry::Handoff handoff;
      handoff.peerId = nextLine(body);
      handoff.resumeToken = nextLine(body);
      handoff.address = nextLine(body);
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
    RoomRegistry::Handoff handoff;
    handoff.peerId = nextLine(body);
    handoff.resumeToken = nextLine(body);
    handoff.address = nextLine(body);
    if (from.empty() || hosted_.count(key) != 0) return;
    Hosted hosted{std::make_unique<RemoteSink>(*this, key, from), 0, from};
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
    return;
  }
  const auto it = hosted_.find(key);
  if (it == hosted_.end()) return;
  const ConnectionId conn = it->second.conn;
  if (type == "move") {  // the client enters a room another node owns: let it go there
    const std::string to(nextLine(body));
    std::optional<RoomRegistry::Handoff> handoff;
    registry_.with([&](RoomRegistry& r) { handoff = r.release(conn); });
    if (!handoff || to.empty()) {  // still in a room here: the registry will say so
      relay(it->second.from, envelope("stay", key));
      return;
    }
    relay(it->second.from, envelope("moved", key,
                                    to + "\n" + handoff->peerId + "\n" + handoff->resumeToken +
                                        "\n" + handoff->address));
    auto hosted = std::move(it->second);
    hosted_.erase(it);
    --stats_.hosted;
    return;
  }
  if (type == "msg") {
    registry_.with([&](RoomRegistry& r) { r.receive(conn, body, steadyNow()); });
  } else if (type == "gone" || type == "away") {
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

void Cluster::tick() {
  if (stopped_) return;
  const TimePoint now = steadyNow();
  if (bus_.up()) {
    bus_.heartbeat(nodeId_, kHeartbeatTtl);
    // Rooms kept: the registry's, and the ones claimed lately that it has not created yet.
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
    // Resume tokens: new ones at once, known ones again at half their expiry.
    const auto ttl = resumeWindow_ + std::chrono::seconds(10);
    const auto tokens = registry_.with([](RoomRegistry& r) { return r.resumeTokens(); });
    std::vector<std::pair<std::string, std::string>> due;
    std::map<std::string, TimePoint> kept;
    for (const auto& entry : tokens) {
      const auto put = tokensPut_.find(entry.first);
      if (put == tokensPut_.end() || now - put->second > ttl / 2) {
        due.push_back(entry);
        kept[entry.first] = now;
      } else {
        kept[entry.first] = put->second;
      }
    }
    tokensPut_ = std::move(kept);
    bus_.putResume(due, std::chrono::duration_cast<std::chrono::milliseconds>(ttl));
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
  if (nodes.empty()) return;
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
      auto hosted = std::move(it->second);
      it = hosted_.erase(it);
      --stats_.hosted;
      registry_.with([&](RoomRegistry& r) { r.disconnect(conn, steadyNow()); });
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
