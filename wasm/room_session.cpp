// RoomSession lifecycle: commands to enter and leave, the protocol conversation with the
// server, and recovery of the signaling socket (resume first, full rejoin when refused). The
// states and their transitions are SessionLifecycle's; here is what each one does.
#include "room_session.hpp"

#include <algorithm>

#include "mesh_links.hpp"
#include "overloaded.hpp"

namespace vroom {

namespace {

bool isFatalClose(int code) {
  return code == protocol::kCloseInvalidPayload || code == protocol::kClosePolicy ||
         code == protocol::kCloseTooBig;
}

}  // namespace

RoomSession::RoomSession(SessionSeams seams, SessionConfig config)
    : signaling_(seams.signaling),
      media_(seams.media),
      clock_(seams.clock),
      random_(seams.random),
      config_(std::move(config)),
      policy_(config_.reconnect),
      peerConnections_(std::move(seams.peerConnections)) {
  links_ = makeLinks(protocol::MediaPathKind::Mesh);
  signaling_.onOpen(lifetime_.guard([this] { onSocketOpen(); }));
  signaling_.onMessage(lifetime_.guard([this](const std::string& text) { onSocketMessage(text); }));
  signaling_.onClosed(lifetime_.guard(
      [this](int code, const std::string& reason) { onSocketClosed(code, reason); }));
  media_.onTrackEnded(lifetime_.guard([this](const std::string& id) { onTrackEnded(id); }));
  media_.onDeviceChange(lifetime_.guard([this] { refreshDevices(); }));
}

RoomSession::~RoomSession() {
  lifetime_.end();  // every guarded callback is a no-op from here
  signaling_.onOpen(nullptr);
  signaling_.onMessage(nullptr);
  signaling_.onClosed(nullptr);
  media_.onTrackEnded(nullptr);
  media_.onDeviceChange(nullptr);
  cancelTimers();
  moving_.reset();
  links_.reset();  // closes every connection
  members_.clear();
  if (lifecycle_.socketOpen()) signaling_.close(protocol::kCloseGoingAway, "");
}

// ---------------------------------------------------------------- commands

CommandResult RoomSession::create(const std::string& room, const std::string& name,
                                  protocol::Mode mode, bool audioOnly, Credentials credentials) {
  return begin(Intent{true, room, name, mode, audioOnly, std::nullopt, std::move(credentials)});
}

CommandResult RoomSession::join(const std::string& room, const std::string& name,
                                std::optional<protocol::Role> role, Credentials credentials) {
  return begin(
      Intent{false, room, name, protocol::Mode::Conference, false, role, std::move(credentials)});
}

CommandResult RoomSession::begin(Intent intent) {
  if (!lifecycle_.next(LifecycleEvent::Begin))
    return vroom::fail(makeError(SessionErrorCode::AlreadyInRoom));
  // The rules the lobby shows and the server applies first.
  if (SessionError problem = checkEntry(intent.room, intent.name);
      problem.code != SessionErrorCode::None) {
    setError(std::move(problem));
    return vroom::fail(error_);
  }
  clearMembers();
  chat_.clear();
  error_ = {};
  notice_ = {};
  moderators_.clear();
  locked_ = false;
  attempt_ = 0;
  resumeToken_.clear();
  room_ = intent.room;
  const bool viewer = intent.role == protocol::Role::Viewer;
  mode_ = intent.create ? intent.mode
          : viewer      ? protocol::Mode::Broadcast  // viewers only ever watch broadcasts
                        : protocol::Mode::Conference;
  audioOnly_ = intent.create && intent.audioOnly;
  self_ = {};
  self_.name = intent.name;
  intent_ = std::move(intent);
  // Media is asked for while connecting: the lobby usually has it already.
  if (!viewer && local_.microphoneTrack().empty() && local_.cameraTrack().empty() &&
      !local_.acquiring())
    acquireUserMedia(true, !audioOnly_);
  go(LifecycleEvent::Begin, "Connecting to the server...");
  connect();
  return std::monostate{};
}

void RoomSession::leave() {
  if (lifecycle_.ended()) return;
  // The server reads `leave` before the close that follows it on the same socket.
  const Stage stage = lifecycle_.stage;
  if (stage == Stage::Entering || stage == Stage::Waiting || stage == Stage::Joined)
    send(protocol::Leave{});
  const bool waiting = stage == Stage::Waiting;
  intent_.reset();
  releaseMedia();
  finish(waiting ? "You stopped waiting for " + room_ + "." : "You left the room.");
}

CommandResult RoomSession::sendChat(const std::string& text) {
  if (!inRoom()) return vroom::fail(makeError(SessionErrorCode::NotConnected));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return vroom::fail(makeError(SessionErrorCode::ChatEmpty));
  if (protocol::codePointCount(text) > limits_.maxChatChars) {
    setError(makeError(SessionErrorCode::ChatTooLong));
    return vroom::fail(error_);
  }
  send(protocol::Chat{text, "", "", 0});  // shown when the server echoes it, in its order
  return std::monostate{};
}

void RoomSession::clearError() {
  if (error_.code == SessionErrorCode::None) return;
  error_ = {};
  changed();
}

// ---------------------------------------------------------------- socket

void RoomSession::connect() {
  signaling_.open(config_.serverUrl);
  armHandshakeTimer();
}

void RoomSession::armHandshakeTimer() {
  handshakeTimer_.start(config_.handshakeTimeoutMs, [this] {
    const Stage stage = lifecycle_.stage;
    if (stage != Stage::Opening && stage != Stage::Hello && stage != Stage::Entering &&
        stage != Stage::Waiting)
      return;
    signaling_.close(protocol::kCloseNormal, "handshake timeout");
    scheduleReconnect("The server did not answer.");
  });
}

void RoomSession::cancelTimers() {
  reconnectTimer_.cancel();
  handshakeTimer_.cancel();
  rejoinTimer_.cancel();
}

void RoomSession::onSocketOpen() {
  const bool first = lifecycle_.entry == Entry::First;
  if (!go(LifecycleEvent::SocketOpened, first ? "Saying hello..." : reason_)) return;
  send(protocol::Hello{protocol::kVersion, resumeToken_, config_.sfu});
}

void RoomSession::onSocketClosed(int code, const std::string& reason) {
  if (lifecycle_.ended()) return;
  const bool returning = lifecycle_.returning();
  lifecycle_ = *lifecycle_.next(LifecycleEvent::Dropped);  // shown by what follows
  if (code == protocol::kCloseReplaced)
    return endWithError(makeError(SessionErrorCode::SessionReplaced), "Opened somewhere else.");
  if (isFatalClose(code))
    return endWithError(
        makeError(SessionErrorCode::ProtocolError),
        "The server closed the connection" + (reason.empty() ? "." : ": " + reason));
  // A socket that never opened: the server is down, or refused this page's origin (a browser
  // hides the upgrade's 403, docs/protocol.md "Origin"), and the person should hear of both.
  scheduleReconnect(returning ? "Connection to the server lost."
                              : "Cannot reach the server (it is down, or does not accept pages "
                                "from this address).");
}

void RoomSession::scheduleReconnect(const std::string& why) {
  if (auto next = lifecycle_.next(LifecycleEvent::Dropped)) lifecycle_ = *next;
  handshakeTimer_.cancel();
  rejoinTimer_.cancel();
  ++attempt_;
  if (policy_.exhausted(attempt_))
    return endWithError(makeError(SessionErrorCode::ServerUnreachable), why + " Giving up.");
  // The attempt number makes every reason new, so the change is always shown.
  const std::string attempt = " (attempt " + std::to_string(attempt_) + ")...";
  say(lifecycle_.returning() ? why + " Reconnecting" + attempt : why + " Retrying" + attempt);
  reconnectTimer_.start(policy_.delayMs(attempt_, random_), [this] {
    go(LifecycleEvent::RetryDue, reason_);
    connect();
  });
}

void RoomSession::send(const protocol::Message& message) {
  if (lifecycle_.socketUp()) signaling_.send(protocol::encode(message));
}

void RoomSession::sendIntent() {
  if (!intent_) return;
  const Credentials& c = intent_->credentials;
  if (intent_->create)
    send(protocol::Create{intent_->room, intent_->name, intent_->mode, intent_->audioOnly, c.token,
                          c.password});
  else  // a viewer waits for a broadcast that is not live yet
    send(protocol::Join{intent_->room, intent_->name, intent_->role,
                        intent_->role == protocol::Role::Viewer, c.token, c.password});
}

// ---------------------------------------------------------------- protocol

void RoomSession::onSocketMessage(const std::string& text) {
  if (!lifecycle_.socketUp()) return;
  auto decoded = protocol::decode(text, protocol::Sender::Server);
  if (!decoded) return;  // a newer server's message we do not know: ignore it
  std::visit(Overloaded{
                 [&](const protocol::Welcome& m) { handle(m); },
                 [&](const protocol::Joined& m) { handle(m); },
                 [&](const protocol::Waiting& m) { handle(m); },
                 [&](const protocol::PeerJoined& m) {
                   if (!inRoom()) return;
                   const bool host = self_.role == protocol::Role::Host;
                   addMember(m.peer, host && m.peer.role == protocol::Role::Viewer);
                   changed();
                 },
                 [&](const protocol::PeerLeft& m) {
                   if (inRoom()) removeMember(m.id);
                 },
                 [&](const protocol::PeerMedia& m) {
                   if (Member* member = findMember(m.id)) {
                     member->info.media = m.media;
                     changed();
                   }
                 },
                 [&](const protocol::RoomClosedMsg& m) { handle(m); },
                 [&](const protocol::ErrorMsg& m) { handle(m); },
                 [&](const protocol::Signal& m) {
                   if (!inRoom()) return;
                   links_->handleSignal(m);
                   if (moving_) moving_->handleSignal(m);  // the mesh, until the move ends
                 },
                 [&](const protocol::Chat& m) { handle(m); },
                 [&](const protocol::Ping& m) { send(protocol::Pong{m.ts}); },
                 [&](const protocol::IceServersMsg& m) { handle(m); },
                 [&](const protocol::RoomState& m) { handle(m); },
                 [&](const protocol::Removed& m) { handle(m); },
                 [&](const protocol::MuteRequested& m) { handle(m); },
                 [&](const protocol::MediaPath& m) { handle(m); },
                 [&](const protocol::SfuOffer& m) {
                   if (inRoom() && sfu_) sfu_->handleSfu(m);
                 },
                 [&](const protocol::SfuAnswer& m) {
                   if (inRoom() && sfu_) sfu_->handleSfu(m);
                 },
                 [&](const protocol::SfuSendLayer& m) {
                   if (inRoom() && sfu_) sfu_->handleSfu(m);
                 },
                 [&](const protocol::SfuHangup& m) {
                   if (inRoom() && sfu_) sfu_->handleSfu(m);
                 },
                 [&](const auto&) {},
             },
             decoded.value());
}

void RoomSession::handle(const protocol::Welcome& welcome) {
  if (lifecycle_.stage != Stage::Hello) return;
  const bool returning = lifecycle_.entry != Entry::First;
  resumeToken_ = welcome.resumeToken;
  iceServers_ = welcome.iceServers;
  links_->setIceServers(iceServers_);
  limits_ = welcome.limits;
  if (welcome.resumed && returning) {
    // The server follows with joined{resumed}.
    go(LifecycleEvent::WelcomedResumed, "Resuming the session...");
    return;
  }
  if (returning) {
    // The server no longer knows us: join again from scratch, peers rebuilt.
    go(LifecycleEvent::Welcomed, "The session expired. Rejoining the room...");
    clearMembers();
  } else {
    go(LifecycleEvent::Welcomed, "Joining " + room_ + "...");
  }
  sendIntent();
}

void RoomSession::handle(const protocol::IceServersMsg& message) {
  // Renewed TURN credentials: new links use them at once, live ones at their next ICE
  // restart (a relay they already hold keeps working with the credentials it was made with).
  iceServers_ = message.iceServers;
  links_->setIceServers(iceServers_);
}

void RoomSession::handle(const protocol::Waiting& waiting) {
  if (lifecycle_.stage != Stage::Entering) return;
  handshakeTimer_.cancel();  // as long as it takes: no handshake timeout
  attempt_ = 0;
  go(LifecycleEvent::Waiting,
     "No broadcast named " + waiting.room + " is live yet. Waiting for the host to go live...");
}

void RoomSession::handle(const protocol::Joined& joined) {
  if (lifecycle_.stage != Stage::Entering && lifecycle_.stage != Stage::Waiting) return;
  const Entry entry = lifecycle_.entry;
  handshakeTimer_.cancel();
  attempt_ = 0;
  rejoinRetries_ = 0;
  room_ = joined.room;
  mode_ = joined.mode;
  audioOnly_ = joined.audioOnly;
  self_ = joined.self;  // the name the server assigned ("Bob (2)"), not the one typed
  introduceSelf();
  published_ = joined.self.media;
  moderators_ = joined.moderators;
  locked_ = joined.locked;
  if (self_.role == protocol::Role::Viewer)
    releaseMedia();  // viewers send nothing
  else if (audioOnly_)
    local_.dropCamera();
  if (joined.resumed && entry == Entry::Resume) {
    reconcileMembers(joined.members);
    // Frames that were in flight when the socket died are lost.
    links_->resumed();
    if (moving_) moving_->resumed();
  } else {
    clearMembers();
    const bool host = self_.role == protocol::Role::Host;
    const bool viewer = self_.role == protocol::Role::Viewer;
    for (const auto& peer : joined.members)
      // The joiner offers to every member; a host offers to each viewer; viewers wait.
      addMember(peer, !viewer && (!host || peer.role == protocol::Role::Viewer));
  }
  go(LifecycleEvent::Joined, "In " + room_ + ".");
  publishMedia();
}

void RoomSession::handle(const protocol::ErrorMsg& error) {
  const SessionErrorCode code = fromProtocol(error.code);
  if (protocol::isProtocolError(error.code))
    return endWithError(makeError(code), "The server refused a message: " + error.message);
  if (error.code == protocol::ErrorCode::AlreadyInRoom && inRoom()) return;  // crossed a resume
  const bool entering = lifecycle_.stage == Stage::Entering;
  const bool returning = lifecycle_.entry != Entry::First;
  if (entering && error.type == "create" && error.code == protocol::ErrorCode::RoomExists &&
      returning && mode_ == protocol::Mode::Conference) {
    // Rejoining a conference we created: the others kept it alive, so join it.
    const Credentials c = intent_ ? intent_->credentials : Credentials{};
    send(protocol::Join{room_, intent_ ? intent_->name : self_.name, std::nullopt, false, c.token,
                        c.password});
    return;
  }
  if (entering && error.type == "create" && error.code == protocol::ErrorCode::RoomExists &&
      returning && rejoinRetries_ < limits_.resumeWindowSeconds + 5) {
    // Our previous session still holds the broadcast until the server expires it (the
    // resume was refused, e.g. the welcome with the new token was lost): try again shortly.
    ++rejoinRetries_;
    say("Waiting for the previous broadcast to close...");
    rejoinTimer_.start(kRejoinRetryMs, [this] {
      if (lifecycle_.stage != Stage::Entering) return;
      armHandshakeTimer();
      sendIntent();
    });
    return;
  }
  if ((entering || lifecycle_.stage == Stage::Waiting) &&
      (error.type == "join" || error.type == "create"))
    return endWithError(makeError(code, room_), "Could not enter " + room_ + ".");
  if (error.code == protocol::ErrorCode::UnknownPeer ||
      error.code == protocol::ErrorCode::NotInRoom)
    return;  // a signal raced a peer leaving; membership updates follow
  setError(makeError(code, room_));
}

void RoomSession::handle(const protocol::RoomClosedMsg& closed) {
  if (!inRoom() && lifecycle_.stage != Stage::Entering) return;
  intent_.reset();
  if (closed.reason == "ended") return endedByModerator(closed);
  setError(makeError(SessionErrorCode::RoomClosed));
  finish("The broadcast has ended.");
}

void RoomSession::handle(const protocol::Chat& chat) {
  if (!inRoom()) return;
  chat_.push_back(ChatEntry{chat.from, chat.name, chat.text, chat.ts, chat.from == self_.id});
  if (chat_.size() > config_.maxChatEntries)
    chat_.erase(chat_.begin(),
                chat_.begin() + static_cast<std::ptrdiff_t>(chat_.size() - config_.maxChatEntries));
  changed();
}

// ---------------------------------------------------------------- state

// What failing and leaving share: timers, members, socket, screen share and recovery end.
void RoomSession::end(LifecycleEvent event, const std::string& reason) {
  const bool socketOpen = lifecycle_.socketOpen();
  const SessionState before = lifecycle_.state();
  auto next = lifecycle_.next(event);
  if (!next) return;
  lifecycle_ = *next;  // shown below, once the visit's leftovers are gone
  cancelTimers();
  clearMembers();
  if (socketOpen) signaling_.close(protocol::kCloseNormal, "");
  stopScreenShare();
  moderators_.clear();  // out of the room, nobody moderates anything
  locked_ = false;
  const bool news = lifecycle_.state() != before || reason_ != reason;
  reason_ = reason;
  if (news) changed();
}

void RoomSession::endWithError(SessionError error, const std::string& reason) {
  error_ = std::move(error);
  end(LifecycleEvent::Failed, reason);
}

void RoomSession::finish(const std::string& reason) {
  end(LifecycleEvent::Left, reason);
}

bool RoomSession::go(LifecycleEvent event, std::string reason) {
  const SessionState before = lifecycle_.state();
  auto next = lifecycle_.next(event);
  if (!next) return false;
  lifecycle_ = *next;
  if (lifecycle_.state() == before && reason_ == reason) return true;
  reason_ = std::move(reason);
  changed();
  return true;
}

void RoomSession::say(std::string reason) {
  if (reason_ == reason) return;
  reason_ = std::move(reason);
  changed();
}

void RoomSession::setError(SessionError error) {
  error_ = std::move(error);
  changed();
}

void RoomSession::changed() {
  ++revision_;
  if (onChange_) onChange_();
}

protocol::MediaState RoomSession::localMediaState() const {
  if (self_.role == protocol::Role::Viewer) return {false, false, false};
  return {local_.microphoneOn() && !local_.microphoneTrack().empty(),
          local_.cameraOn() && !local_.cameraTrack().empty() && !audioOnly_,
          local_.screenMode() != LocalMediaState::ScreenMode::None};
}

void RoomSession::publishMedia() {
  if (!inRoom()) return;
  const auto now = localMediaState();
  if (now == published_) return;
  published_ = now;
  send(protocol::SetMedia{now});
}

}  // namespace vroom
