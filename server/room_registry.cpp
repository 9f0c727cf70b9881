// RoomRegistry: the rules of docs/protocol.md. Every reply leaves through sendTo() or
// deliverFrame() so counters, the away queue and visibility are enforced in one place.
#include "room_registry.hpp"

#include <algorithm>
#include <utility>

#include "name_policy.hpp"
#include "protocol_scan.hpp"
#include "random_id.hpp"

namespace vroom::server {

using namespace protocol;

namespace {

// The messages a member sends to the video server (through SfuRooms).
template <class T>
constexpr bool kIsSfu =
    std::is_same_v<T, SfuOffer> || std::is_same_v<T, SfuAnswer> ||
    std::is_same_v<T, SfuCandidate> || std::is_same_v<T, SfuLayer> || std::is_same_v<T, SfuRestart>;

bool isSfuMessage(const Message& message) {
  return std::visit([](const auto& m) { return kIsSfu<std::decay_t<decltype(m)>>; }, message);
}

std::int64_t steadyMillis(TimePoint now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

}  // namespace

RoomRegistry::RoomRegistry(RegistryConfig config, std::function<std::string()> newId)
    : config_(std::move(config)),
      budgetRate_{config_.limits.messagesPerSecond, std::max(1.0, static_cast<double>(config_.burst)),
                  config_.limits.bytesPerSecond,
                  static_cast<double>(std::max(config_.byteBurst, config_.limits.maxMessageBytes))},
      errorRate_(config_.errorsPerSecond, static_cast<double>(config_.floodCloseAfter)),
      newId_(newId ? std::move(newId) : randomId) {
  // What `welcome` announces must be what is enforced.
  config_.limits.resumeWindowSeconds =
      static_cast<int>(std::chrono::ceil<std::chrono::seconds>(config_.resumeWindow).count());
}

ConnectionId RoomRegistry::connect(ClientSink& sink, TimePoint now, std::string address) {
  const ConnectionId id = nextConnection_++;
  connections_.emplace(
      id,
      Connection{
          &sink,
          now,
          MessageBudget(budgetRate_, now),
          TokenBucket(errorRate_, now),
          now,
          0,
          false,
          {},
          std::move(address)});
  return id;
}

void RoomRegistry::receive(ConnectionId id, std::string_view text, TimePoint now) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;  // already closed by us; the socket is on its way out
  Connection& conn = it->second;
  ++stats_.messagesIn;
  conn.lastSeen = now;
  now_ = now;

  // Rate first: a flood must cost as little as possible, so it is refused before decoding,
  // and by its bytes as well as its count (scanning is linear in them).
  if (!conn.budget.take(budgetRate_, now, text.size())) {
    if (floodStrike(id, conn, now)) return;
    sendError(conn, ErrorCode::RateLimited, "slow down: message dropped", "");
  } else {
    conn.limitedInRow = 0;
    dispatch(id, conn, text, now);
  }
  // Every error reply was paid from the error budget; one that could not be paid closes.
  const auto after = connections_.find(id);
  if (after != connections_.end() && after->second.tooManyErrors) {
    after->second.sink->close(kClosePolicy, "too many errors");
    dropConnection(id, now);
  }
}

void RoomRegistry::control(ConnectionId id, TimePoint now) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  it->second.lastSeen = now;
  if (it->second.budget.take(budgetRate_, now, 0)) return;  // does not reset limitedInRow: only messages do
  if (!floodStrike(id, it->second, now) && !it->second.errorBudget.take(errorRate_, now)) {
    it->second.sink->close(kClosePolicy, "flooding");
    dropConnection(id, now);
  }
}

// A message or control frame over the rate limit: 200 in a row close the connection.
bool RoomRegistry::floodStrike(ConnectionId id, Connection& conn, TimePoint now) {
  if (++conn.limitedInRow < config_.floodCloseAfter) return false;
  ++stats_.errors[ErrorCode::RateLimited];
  conn.sink->close(kClosePolicy, "flooding");
  dropConnection(id, now);
  return true;
}

void RoomRegistry::dispatch(ConnectionId id, Connection& conn, std::string_view text,
                            TimePoint now) {
  // One bounded pass over the text (protocol_scan.hpp): a signal is relayed without its data
  // ever being parsed, anything else is decoded from a small pruned copy. Refusals are the
  // ones decode() would give.
  auto scanned = scanClient(text, config_.limits);
  if (scanned.ok() && scanned.value().isSignal) {
    const ClientEnvelope& signal = scanned.value();
    if (!conn.session) {
      closeWith(id, ErrorCode::HelloRequired, "the first message must be hello", "signal", now);
      return;
    }
    Session& self = *conn.session;
    if (admit(conn, self, "signal", false, true)) relaySignal(conn, self, signal.to, signal.data);
    return;
  }
  auto decoded = scanned.ok() ? decodeScanned(scanned.value(), config_.limits)
                              : Result<Message, DecodeError>(fail(scanned.error()));
  if (!decoded.ok()) {
    const DecodeError& error = decoded.error();
    if (isProtocolError(error.code)) {
      closeWith(id, error.code, error.message, error.type, now);
    } else {
      sendError(conn, error.code, error.message, error.type);
    }
    return;
  }
  Message& message = decoded.value();
  if (!conn.session) {
    if (const auto* hello = std::get_if<Hello>(&message)) return onHello(id, conn, *hello, now);
    closeWith(id, ErrorCode::HelloRequired, "the first message must be hello",
              std::string(typeName(message)), now);
    return;
  }
  if (std::holds_alternative<Hello>(message)) {
    closeWith(id, ErrorCode::InvalidMessage, "hello was already received", "hello", now);
    return;
  }
  handle(conn, *conn.session, message, now);
}

// What every message after hello goes through before its handler: spends the previous
// resume token and checks room membership. False: refused (the error is sent).
bool RoomRegistry::admit(Connection& conn, Session& self, std::string_view type, bool entersRoom,
                         bool needsRoom) {
  if (!self.previousToken.empty()) {  // the client has its new token: the old one is spent
    tokens_.erase(self.previousToken);
    self.previousToken.clear();
  }
  const bool inRoom = !self.room.empty();
  if (entersRoom && (inRoom || !self.waitingFor.empty())) {
    sendError(conn, ErrorCode::AlreadyInRoom, "leave the current room first", std::string(type));
    return false;
  }
  if (needsRoom && !inRoom) {
    sendError(conn, ErrorCode::NotInRoom, "join a room first", std::string(type));
    return false;
  }
  return true;
}

void RoomRegistry::handle(Connection& conn, Session& self, Message& message, TimePoint now) {
  const bool entersRoom =
      std::holds_alternative<Create>(message) || std::holds_alternative<Join>(message);
  // A viewer waiting for a broadcast may leave (stop waiting), nothing else.
  const bool leavesWait = std::holds_alternative<Leave>(message) && !self.waitingFor.empty();
  const bool moderation =
      std::holds_alternative<Remove>(message) || std::holds_alternative<RequestMute>(message) ||
      std::holds_alternative<Lock>(message) || std::holds_alternative<EndRoom>(message);
  const bool needsRoom =
      std::holds_alternative<Signal>(message) || std::holds_alternative<Chat>(message) ||
      std::holds_alternative<SetMedia>(message) || moderation || isSfuMessage(message) ||
      (std::holds_alternative<Leave>(message) && !leavesWait);
  if (!admit(conn, self, typeName(message), entersRoom, needsRoom)) return;
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Create>) onCreate(self, m, now);
        if constexpr (std::is_same_v<T, Join>) onJoin(self, m, now);
        if constexpr (std::is_same_v<T, Remove>) onRemove(conn, self, m);
        if constexpr (std::is_same_v<T, RequestMute>) onRequestMute(conn, self, m);
        if constexpr (std::is_same_v<T, Lock>) onLock(conn, self, m);
        if constexpr (std::is_same_v<T, EndRoom>) onEndRoom(conn, self);
        if constexpr (std::is_same_v<T, Signal>) relaySignal(conn, self, m.to, m.data.dump());
        if constexpr (std::is_same_v<T, Chat>) onChat(self, m, now);
        if constexpr (std::is_same_v<T, SetMedia>) onMedia(self, m);
        if constexpr (std::is_same_v<T, Leave>) onLeave(self);
        if constexpr (std::is_same_v<T, Ping>) sendTo(conn, Pong{m.ts});
        if constexpr (kIsSfu<T>) onSfu(conn, self, message);
        // Pong only proves liveness, which the transport already noted.
      },
      message);
}

void RoomRegistry::onHello(ConnectionId id, Connection& conn, const Hello& hello, TimePoint now) {
  if (hello.version != kVersion) {
    closeWith(id, ErrorCode::UnsupportedVersion,
              "this server speaks protocol version " + std::to_string(kVersion), "hello", now);
    return;
  }
  Session* session = nullptr;
  if (!hello.resumeToken.empty()) {
    const auto token = tokens_.find(hello.resumeToken);
    if (token != tokens_.end()) {
      Session& candidate = *token->second;
      if (candidate.conn == 0 && now - candidate.awaySince >= config_.resumeWindow) {
        removeSession(candidate.info.id);  // expired, expire() just had not run yet
      } else {
        session = &candidate;
      }
    }
  }
  const bool resumed = session != nullptr;
  if (resumed) {
    if (session->conn != 0) {
      // The old socket is still open (a half-dead link the client gave up on): the newest
      // socket wins, the old one is told why it is being dropped.
      const ConnectionId old = session->conn;
      auto oldIt = connections_.find(old);
      if (oldIt != connections_.end()) {
        oldIt->second.session = nullptr;
        oldIt->second.sink->close(kCloseReplaced, "session resumed on another connection");
        connections_.erase(oldIt);
      }
    }
    // Keep only the token just presented (as the previous one): a client that resumed with
    // an older token never received the newer one, which is dropped.
    if (session->resumeToken != hello.resumeToken) tokens_.erase(session->resumeToken);
    if (!session->previousToken.empty() && session->previousToken != hello.resumeToken)
      tokens_.erase(session->previousToken);
    session->previousToken = hello.resumeToken;
  } else {
    const std::string peerId = uniqueId();
    session = &sessions_[peerId];
    session->info.id = peerId;
  }
  session->sfu = hello.sfu;
  session->resumeToken = uniqueId();  // rotated on every welcome
  tokens_[session->resumeToken] = session;
  session->conn = id;
  conn.session = session;

  Welcome reply = welcome(*session, now);
  reply.resumeToken = session->resumeToken;
  reply.resumed = resumed;
  sendTo(conn, reply);
  if (!resumed) return;
  if (!session->room.empty()) {
    sendTo(conn, joinedFor(*session, session->room, rooms_.find(session->room)->second, true));
    if (observer_) observer_->resumed(session->room, session->info.id);
  }
  // What was held for it follows at the reader's pace, never all at once: a backlog of
  // megabytes pushed into the socket would trip the slow-reader cap and lose it again.
  pump(*session);
}

void RoomRegistry::onCreate(Session& self, const Create& create, TimePoint now) {
  Connection& conn = connections_.at(self.conn);
  const EntryRequest request{"create", create.room, create.name, create.token, create.password};
  const auto grant = grantFor(conn, request, now);
  if (!grant) return;
  if (rooms_.find(create.room) != rooms_.end()) {
    sendError(conn, ErrorCode::RoomExists, "room '" + create.room + "' already exists", "create");
    return;
  }
  const bool broadcast = create.mode == Mode::Broadcast;
  const EntryAction action =
      broadcast ? EntryAction::CreateBroadcast : EntryAction::CreateConference;
  if (!mayEnter(conn, self, *grant, request, action, nullptr, now)) return;
  self.info.name = grant->name;
  Room& room = rooms_[create.room];
  room.mode = create.mode;
  room.audioOnly = create.audioOnly;
  claimRoom(create.room, room, request, action);
  enterRoom(self, create.room, room, broadcast ? Role::Host : Role::Member, true);
  if (broadcast) admitWaiting(create.room, room);
}

void RoomRegistry::onJoin(Session& self, const Join& join, TimePoint now) {
  Connection& conn = connections_.at(self.conn);
  const EntryRequest request{"join", join.room, join.name, join.token, join.password};
  const auto grant = grantFor(conn, request, now);
  if (!grant) return;
  auto it = rooms_.find(join.room);
  if (it == rooms_.end() && join.role == Role::Viewer) {
    if (!mayEnter(conn, self, *grant, request, EntryAction::WatchBroadcast, nullptr, now)) return;
    self.info.name = grant->name;
    if (join.wait) return waitFor(conn, self, join);
    sendError(conn, ErrorCode::RoomNotFound, "no broadcast named '" + join.room + "'", "join");
    return;
  }
  EntryAction action = EntryAction::JoinConference;
  if (it == rooms_.end()) {
    action = EntryAction::CreateConference;  // the first join creates a conference room
  } else if (it->second.mode == Mode::Broadcast) {
    if (join.role && *join.role != Role::Viewer) {
      sendError(conn, ErrorCode::NotAllowed, "a broadcast can only be joined as a viewer", "join");
      return;
    }
    action = EntryAction::WatchBroadcast;
  }
  if (!mayEnter(conn, self, *grant, request, action, it == rooms_.end() ? nullptr : &it->second,
                now))
    return;
  if (it != rooms_.end() && it->second.members.size() >= config_.limits.maxRoomSize) {
    sendError(conn, ErrorCode::RoomFull, "room '" + join.room + "' is full", "join");
    return;
  }
  self.info.name = grant->name;
  const bool creates = it == rooms_.end();
  if (creates) it = rooms_.emplace(join.room, Room{}).first;
  Room& room = it->second;
  if (creates) claimRoom(join.room, room, request, action);
  const bool moderates =
      creates || (room.mode == Mode::Conference && self.tokenRole == TokenRole::Moderator);
  enterRoom(self, join.room, room,
            action == EntryAction::WatchBroadcast ? Role::Viewer : Role::Member, moderates);
}

void RoomRegistry::enterRoom(Session& self, const std::string& roomId, Room& room, Role role,
                             bool moderates) {
  std::vector<std::string> taken;
  for (const auto& memberId : room.members) taken.push_back(sessions_.at(memberId).info.name);
  self.info.name = distinctName(self.info.name, taken);  // the name everyone sees, `joined` too
  self.info.role = role;
  self.info.media = MediaState{};
  if (role == Role::Viewer) self.info.media = MediaState{false, false, false};  // sends nothing
  if (room.audioOnly) self.info.media.video = false;
  self.room = roomId;
  room.members.push_back(self.info.id);
  if (moderates) room.moderators.push_back(self.info.id);
  sendTo(connections_.at(self.conn), joinedFor(self, roomId, room, false));
  const Frame frame = makeFrame(encode(PeerJoined{self.info}));  // once for every member
  for (const auto& memberId : room.members) {
    Session& other = sessions_.at(memberId);
    if (canSee(room, other, self)) deliverFrame(other, frame, false);
  }
  // A moderator joining a room that has people: they learn who moderates now.
  if (moderates && room.members.size() > 1) sendRoomState(room, "", self.info.id);
  if (observer_) observer_->entered(roomId, self.info, room.mode, self.sfu);
}

// The SFU media path's messages go to the observer, which owns the video server's side; a
// viewer never publishes, whatever it sends.
void RoomRegistry::onSfu(Connection& conn, Session& self, Message& message) {
  const std::string type(typeName(message));
  if (!observer_) {
    sendError(conn, ErrorCode::NotAllowed, "this server has no video server: media is peer to peer",
              type);
    return;
  }
  if (std::holds_alternative<SfuOffer>(message) && self.info.role == Role::Viewer) {
    sendError(conn, ErrorCode::NotAllowed, "viewers cannot send media in a broadcast", type);
    return;
  }
  observer_->received(self.room, self.info.id, std::move(message));
}

bool RoomRegistry::sendToMember(const std::string& room, const std::string& peer,
                                const Message& message) {
  const auto it = sessions_.find(peer);
  if (it == sessions_.end() || it->second.room != room) return false;
  deliverFrame(it->second, makeFrame(encode(message)), true);
  return true;
}

Joined RoomRegistry::joinedFor(const Session& self, const std::string& roomId, const Room& room,
                               bool resumed) const {
  return Joined{self.info, roomId,          room.mode,  room.audioOnly, visibleTo(self, room),
                resumed,   room.moderators, room.locked};
}

void RoomRegistry::waitFor(Connection& conn, Session& self, const Join& join) {
  auto& queue = waiting_[join.room];
  if (queue.size() >= config_.limits.maxRoomSize) {
    sendError(conn, ErrorCode::RoomFull, "too many viewers are waiting for '" + join.room + "'",
              "join");
    return;
  }
  self.waitingFor = join.room;
  queue.push_back(self.info.id);
  sendTo(conn, Waiting{join.room});
}

void RoomRegistry::stopWaiting(Session& self) {
  if (self.waitingFor.empty()) return;
  const auto it = waiting_.find(self.waitingFor);
  self.waitingFor.clear();
  if (it == waiting_.end()) return;
  std::erase(it->second, self.info.id);
  if (it->second.empty()) waiting_.erase(it);
}

void RoomRegistry::admitWaiting(const std::string& roomId, Room& room) {
  const auto it = waiting_.find(roomId);
  if (it == waiting_.end()) return;
  const std::vector<std::string> viewers = std::move(it->second);
  waiting_.erase(it);
  for (const auto& viewerId : viewers) {
    const auto session = sessions_.find(viewerId);
    if (session == sessions_.end() || session->second.waitingFor != roomId) continue;
    Session& viewer = session->second;
    viewer.waitingFor.clear();
    if (room.members.size() >= config_.limits.maxRoomSize) {
      sendError(connections_.at(viewer.conn), ErrorCode::RoomFull, "room '" + roomId + "' is full",
                "join");
      continue;
    }
    enterRoom(viewer, roomId, room, Role::Viewer, false);
  }
}

void RoomRegistry::relaySignal(Connection& conn, Session& self, const std::string& to,
                               std::string_view rawData) {
  const auto target = sessions_.find(to);
  if (target == sessions_.end() || target->second.room != self.room ||
      target->first == self.info.id) {
    sendError(conn, ErrorCode::UnknownPeer, "no such peer in this room", "signal");
    return;
  }
  if (!canSee(rooms_.find(self.room)->second, self, target->second)) {
    sendError(conn, ErrorCode::NotAllowed, "viewers may only signal the host", "signal");
    return;
  }
  // `from` stamped here (a client never chooses its own), `data` passed on as it arrived.
  deliverFrame(target->second, makeFrame(encodeSignalFrame(self.info.id, rawData)), true);
}

void RoomRegistry::onChat(Session& self, Chat& chat, TimePoint now) {
  chat.from = self.info.id;
  chat.name = self.info.name;
  chat.ts = steadyMillis(now) + config_.epochOffsetMs;
  // Everyone in the room, the sender included: the server's copy carries the canonical
  // order and timestamp.
  const Frame frame = makeFrame(encode(chat));
  for (const auto& memberId : rooms_.find(self.room)->second.members)
    deliverFrame(sessions_.at(memberId), frame, true);
}

void RoomRegistry::onMedia(Session& self, const SetMedia& media) {
  if (self.info.role == Role::Viewer && media.media != MediaState{false, false, false}) {
    // A viewer sends nothing: a claim of a microphone, camera or screen is never fanned out.
    sendError(connections_.at(self.conn), ErrorCode::NotAllowed,
              "viewers of a broadcast send no media", "media");
    return;
  }
  self.info.media = media.media;
  const Room& room = rooms_.find(self.room)->second;
  const Frame frame = makeFrame(encode(PeerMedia{self.info.id, media.media}));
  for (const auto& memberId : room.members) {
    Session& other = sessions_.at(memberId);
    if (canSee(room, other, self)) deliverFrame(other, frame, false);
  }
}

void RoomRegistry::onLeave(Session& self) {
  stopWaiting(self);
  leaveRoom(self);
  sendTo(connections_.at(self.conn), Left{});
}

void RoomRegistry::leaveRoom(Session& self) {
  const auto it = rooms_.find(self.room);
  self.room.clear();
  if (it == rooms_.end()) return;
  if (observer_) observer_->left(it->first, self.info.id);
  Room& room = it->second;
  std::erase(room.members, self.info.id);
  const bool moderated = std::erase(room.moderators, self.info.id) > 0;
  if (room.mode == Mode::Broadcast && self.info.role == Role::Host) {
    // No host, no broadcast: every viewer is told and is out of the room, still connected.
    const Frame frame = makeFrame(encode(RoomClosedMsg{"host_left"}));
    for (const auto& viewerId : room.members) {
      Session& viewer = sessions_.at(viewerId);
      viewer.room.clear();
      deliverFrame(viewer, frame, true);
    }
    broadcastEnded(it->first);
    if (observer_) observer_->closed(it->first);
    rooms_.erase(it);
    return;
  }
  const Frame frame = makeFrame(encode(PeerLeft{self.info.id}));
  for (const auto& memberId : room.members) {
    Session& other = sessions_.at(memberId);
    if (canSee(room, other, self)) deliverFrame(other, frame, false);
  }
  if (room.members.empty()) {
    if (observer_) observer_->closed(it->first);
    rooms_.erase(it);
  } else if (moderated) {
    moderatorLeft(room);
  }
}

void RoomRegistry::disconnect(ConnectionId id, TimePoint now) {
  now_ = now;
  dropConnection(id, now);
}

void RoomRegistry::goingAway(ConnectionId id, TimePoint now) {
  now_ = now;
  const std::optional<std::string> peerId = peerIdOf(id);
  dropConnection(id, now);
  if (peerId) removeSession(*peerId);  // leaves the room, spends the resume token
}

void RoomRegistry::drain(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end() || !it->second.session) return;
  pump(*it->second.session);
}

void RoomRegistry::dropConnection(ConnectionId id, TimePoint now) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Session* const peer = it->second.session;
  connections_.erase(it);
  if (!peer) return;
  Session& session = *peer;
  stopWaiting(session);  // a viewer that comes back asks again
  if (session.room.empty() && session.queued.empty()) {
    removeSession(session.info.id);  // nothing to come back to
    return;
  }
  session.conn = 0;
  session.awaySince = now;
}

void RoomRegistry::expire(TimePoint now) {
  now_ = now;
  expireAccess(now);
  std::vector<std::string> expired;
  for (const auto& [peerId, session] : sessions_)
    if (session.conn == 0 && now - session.awaySince >= config_.resumeWindow)
      expired.push_back(peerId);
  std::sort(expired.begin(), expired.end());  // deterministic fan-out order for simulations
  for (const auto& peerId : expired)
    if (sessions_.count(peerId)) removeSession(peerId);

  std::vector<ConnectionId> silent;
  for (const auto& [id, conn] : connections_)
    if (!conn.session && now - conn.connectedAt >= config_.handshakeTimeout)
      silent.push_back(id);
  std::sort(silent.begin(), silent.end());
  for (ConnectionId id : silent) {
    connections_.at(id).sink->close(kCloseTimeout, "no hello in time");
    dropConnection(id, now);
  }
  renewIceServers(now);
}

void RoomRegistry::removeSession(const std::string& peerId) {
  auto it = sessions_.find(peerId);
  if (it == sessions_.end()) return;
  if (!it->second.room.empty()) leaveRoom(it->second);
  stopWaiting(it->second);
  tokens_.erase(it->second.resumeToken);
  if (!it->second.previousToken.empty()) tokens_.erase(it->second.previousToken);
  queuedBytesTotal_ -= it->second.queuedBytes;
  if (const auto conn = connections_.find(it->second.conn); conn != connections_.end())
    conn->second.session = nullptr;  // no connection may point at a session that is gone
  sessions_.erase(it);
}

bool RoomRegistry::canSee(const Room& room, const Session& a, const Session& b) const {
  if (a.info.id == b.info.id) return false;
  return room.mode == Mode::Conference || a.info.role == Role::Host || b.info.role == Role::Host;
}

std::vector<PeerInfo> RoomRegistry::visibleTo(const Session& self, const Room& room) const {
  std::vector<PeerInfo> out;
  for (const auto& memberId : room.members) {
    const Session& other = sessions_.at(memberId);
    if (canSee(room, self, other)) out.push_back(other.info);
  }
  return out;
}

std::vector<PeerInfo> RoomRegistry::members(std::string_view room) const {
  std::vector<PeerInfo> out;
  const auto it = rooms_.find(room);
  if (it == rooms_.end()) return out;
  for (const auto& memberId : it->second.members) out.push_back(sessions_.at(memberId).info);
  return out;
}

std::optional<Mode> RoomRegistry::roomMode(std::string_view room) const {
  const auto it = rooms_.find(room);
  if (it == rooms_.end()) return std::nullopt;
  return it->second.mode;
}

std::optional<std::string> RoomRegistry::peerIdOf(ConnectionId id) const {
  const auto it = connections_.find(id);
  if (it == connections_.end() || !it->second.session) return std::nullopt;
  return it->second.session->info.id;
}

void RoomRegistry::sendTo(Connection& conn, const Message& message) {
  ++stats_.messagesOut;
  conn.sink->send(encode(message));
}

void RoomRegistry::deliverFrame(Session& peer, const Frame& frame, bool queueIfAway) {
  if (peer.conn != 0 && !peer.queued.empty()) {
    // Resumed and still catching up: behind what is held, in order.
    enqueue(peer, frame);
    pump(peer);
  } else if (peer.conn != 0) {
    ++stats_.messagesOut;
    connections_.at(peer.conn).sink->sendShared(frame);
  } else if (queueIfAway) {
    // Membership and media changes are not queued: the `joined` sent on resume carries the
    // current member list. What is queued is what cannot be rebuilt: signals, chat, closure.
    enqueue(peer, frame);
  }
}

void RoomRegistry::enqueue(Session& peer, const Frame& frame) {
  const std::size_t size = frame->size();
  if (config_.maxQueuedWhileAway == 0 || size > config_.maxQueuedBytesPerPeer) {
    ++stats_.queueDropped;
    return;
  }
  // Over the peer's own caps the oldest frame goes: what was said last matters most after
  // a gap. Over the global cap the new frame goes: one peer's queue never empties another's.
  while (!peer.queued.empty() && (peer.queued.size() >= config_.maxQueuedWhileAway ||
                                  peer.queuedBytes + size > config_.maxQueuedBytesPerPeer)) {
    popQueued(peer);
    ++stats_.queueDropped;
  }
  if (queuedBytesTotal_ + size > config_.maxQueuedBytesTotal) {
    ++stats_.queueDropped;
    return;
  }
  peer.queued.push_back(frame);
  peer.queuedBytes += size;
  queuedBytesTotal_ += size;
}

void RoomRegistry::popQueued(Session& peer) {
  peer.queuedBytes -= peer.queued.front()->size();
  queuedBytesTotal_ -= peer.queued.front()->size();
  peer.queued.pop_front();
}

void RoomRegistry::pump(Session& peer) {
  if (peer.conn == 0) return;
  ClientSink& sink = *connections_.at(peer.conn).sink;
  while (!peer.queued.empty() && sink.backlogBytes() < kHandOverBytes) {
    const Frame frame = std::move(peer.queued.front());
    peer.queued.pop_front();
    peer.queuedBytes -= frame->size();
    queuedBytesTotal_ -= frame->size();
    ++stats_.messagesOut;
    sink.sendShared(frame);
  }
}

void RoomRegistry::sendError(Connection& conn, ErrorCode code, std::string message,
                             std::string type) {
  ++stats_.errors[code];
  // An error reply costs the connection like a message would, and is paid from its error
  // budget: a client that keeps drawing them is closed after the handler (receive()).
  conn.budget.take(budgetRate_, conn.lastSeen, 0);
  if (!conn.errorBudget.take(errorRate_, conn.lastSeen)) conn.tooManyErrors = true;
  sendTo(conn, ErrorMsg{code, std::move(message), std::move(type)});
}

void RoomRegistry::closeWith(ConnectionId id, ErrorCode code, std::string message, std::string type,
                             TimePoint now) {
  Connection& conn = connections_.at(id);
  sendError(conn, code, message, std::move(type));
  conn.sink->close(closeCodeFor(code), message);
  dropConnection(id, now);
}

std::string RoomRegistry::uniqueId() {
  // A seeded generator in a simulation may repeat itself; a CSPRNG never will in practice.
  for (std::uint64_t attempt = 0;; ++attempt) {
    std::string id = newId_();
    if (attempt >= 8) id += "-" + std::to_string(attempt);  // a stuck generator still ends
    if (!id.empty() && !sessions_.count(id) && !tokens_.count(id)) return id;
  }
}

Welcome RoomRegistry::welcome(Session& session, TimePoint now) {
  Welcome out;
  out.limits = config_.limits;
  out.iceServers = config_.iceServers;
  for (auto& server : mintIceServers(session, now)) out.iceServers.push_back(std::move(server));
  return out;
}

std::vector<IceServer> RoomRegistry::mintIceServers(Session& session, TimePoint now) {
  if (!config_.mintIceServers) return {};
  session.iceRenewAt = now + config_.iceRenewEvery;
  return config_.mintIceServers(session.info.id, steadyMillis(now) + config_.epochOffsetMs);
}

void RoomRegistry::renewIceServers(TimePoint now) {
  if (!config_.mintIceServers || config_.iceRenewEvery.count() <= 0) return;
  std::vector<std::string> due;
  for (const auto& [peerId, session] : sessions_)
    if (session.conn != 0 && now >= session.iceRenewAt) due.push_back(peerId);
  std::sort(due.begin(), due.end());  // deterministic order for simulations
  for (const auto& peerId : due) {
    Session& session = sessions_.at(peerId);
    sendTo(connections_.at(session.conn), IceServersMsg{mintIceServers(session, now)});
  }
}

}  // namespace vroom::server
