// MeshLinks: one connection per member. Who offers is the session's call (addMember); here are
// the connections themselves: signals routed to each negotiator, dead ones replaced, glare
// settled, senders kept in step with the local tracks, and remote tracks recorded.
#include "mesh_links.hpp"

#include <algorithm>

#include "sdp_direction.hpp"

namespace vroom {

MeshLinks::MeshLinks(Clock& clock, PeerConnectionFactory factory, NegotiatorConfig config,
                     const LocalMediaState& local, PeerLinkEvents events)
    : clock_(clock),
      factory_(std::move(factory)),
      config_(config),
      local_(local),
      events_(std::move(events)) {}

MeshLinks::~MeshLinks() {
  lifetime_.end();
  remotes_.clear();  // each negotiator closes its connection
}

MeshLinks::Remote* MeshLinks::find(const std::string& id) {
  for (auto& remote : remotes_)
    if (remote.id == id) return &remote;
  return nullptr;
}

const MeshLinks::Remote* MeshLinks::find(const std::string& id) const {
  for (const auto& remote : remotes_)
    if (remote.id == id) return &remote;
  return nullptr;
}

void MeshLinks::setIceServers(std::vector<protocol::IceServer> servers) {
  iceServers_ = std::move(servers);
  for (auto& remote : remotes_)
    if (remote.connection) remote.connection->negotiator->pc().setIceServers(iceServers_);
}

void MeshLinks::addMember(const protocol::PeerInfo& member, bool offer) {
  if (find(member.id)) return;
  remotes_.push_back(Remote{member.id, member.role, nullptr, {}, 0});
  if (!offer) return;  // the other side offers; the connection is made when its offer arrives
  if (Connection* connection = ensureConnection(remotes_.back())) attachLocal(*connection, true);
}

void MeshLinks::removeMember(const std::string& memberId) {
  std::erase_if(remotes_, [&](const Remote& r) { return r.id == memberId; });
}

void MeshLinks::clear() {
  remotes_.clear();
}

MeshLinks::Connection* MeshLinks::ensureConnection(Remote& remote) {
  if (remote.connection) return remote.connection.get();
  std::unique_ptr<PeerConnection> pc = factory_ ? factory_(iceServers_) : nullptr;
  if (!pc) {
    events_.error(makeError(SessionErrorCode::PeerConnectionUnavailable));
    return nullptr;
  }
  const std::string id = remote.id;
  auto connection = std::make_unique<Connection>();
  connection->negotiator = std::make_unique<PeerNegotiator>(
      self_.id, id, std::move(pc), clock_, config_, [this, id](const SignalPayload& payload) {
        events_.send(protocol::Signal{id, "", encodeSignal(payload)});
      });
  PeerNegotiator& negotiator = *connection->negotiator;
  negotiator.onStateChange([this, id] {
    Remote* r = find(id);
    if (r && r->connection && r->connection->negotiator->state() == LinkState::Connected)
      r->replacements = 0;
    events_.changed();
  });
  negotiator.onDead([this, id, dead = &negotiator] {
    // Not from inside the negotiator's own callback: replacing destroys it.
    clock_.setTimeout(0, lifetime_.guard([this, id, dead] { onDead(id, dead); }));
  });
  negotiator.onRemoteTrack([this, id](const RemoteTrack& track) {
    Remote* r = find(id);
    if (!r || r->role == protocol::Role::Viewer) return;  // a viewer's media is never shown
    auto same = [&](const RemoteTrack& t) { return t.trackId == track.trackId; };
    if (std::any_of(r->tracks.begin(), r->tracks.end(), same)) return;
    r->tracks.push_back(track);
    events_.changed();
  });
  negotiator.onRemoteTrackRemoved([this, id](const std::string& trackId) {
    Remote* r = find(id);
    if (!r) return;
    std::erase_if(r->tracks, [&](const RemoteTrack& t) { return t.trackId == trackId; });
    events_.changed();
  });
  negotiator.onBeforeAnswer([this, id] {
    Remote* r = find(id);
    if (r && r->connection && self_.sends) attachLocal(*r->connection, false);
  });
  negotiator.onRecover([this, id] {
    // A connection made for a signal that never brought an offer has no m-lines: give it
    // some before it offers. Connections that did negotiate keep exactly what they have.
    Remote* r = find(id);
    if (r && r->connection && !r->connection->localAttached &&
        !r->connection->negotiator->hasRemoteDescription())
      attachLocal(*r->connection, true);
  });
  remote.connection = std::move(connection);
  return remote.connection.get();
}

MeshLinks::Connection* MeshLinks::replaceConnection(Remote& remote, bool announce) {
  remote.connection.reset();  // closes the old connection; its remote tracks went with it
  remote.tracks.clear();
  Connection* connection = ensureConnection(remote);
  if (connection && announce) {
    connection->negotiator->announceNewConnection();
    attachLocal(*connection, true);  // negotiationneeded: the newConnection offer
  }
  events_.changed();
  return connection;
}

void MeshLinks::onDead(const std::string& id, const PeerNegotiator* negotiator) {
  Remote* remote = find(id);
  // Already replaced or gone (the peer's own newConnection offer may have come first).
  if (!remote || !remote->connection || remote->connection->negotiator.get() != negotiator) return;
  if (remote->replacements >= kMaxReplacements) return;
  ++remote->replacements;
  replaceConnection(*remote, true);
}

void MeshLinks::handleSignal(const protocol::Signal& signal) {
  auto payload = decodeSignal(signal.data);
  if (!payload) return;
  Remote* remote = find(signal.from);
  if (!remote) return;  // not (yet) a member we know: its watchdog will try again
  if (remote->role == protocol::Role::Viewer) {
    // A viewer only receives: whatever its offer or answer says it sends, the host accepts
    // none of it.
    auto* description = std::get_if<SessionDescription>(&*payload);
    if (auto* fresh = std::get_if<NewConnectionOffer>(&*payload)) description = &fresh->offer;
    if (description) description->sdp = withoutIncomingMedia(description->sdp);
  }
  if (const auto* fresh = std::get_if<NewConnectionOffer>(&*payload)) {
    // The peer replaced its connection: ours pairs with nothing now. When both replaced at
    // once, the impolite side keeps its own replacement and the polite one answers it.
    const PeerNegotiator* current =
        remote->connection ? remote->connection->negotiator.get() : nullptr;
    if (current && current->awaitingNewConnectionAnswer() && !current->polite()) return;
    Connection* connection =
        current ? replaceConnection(*remote, false) : ensureConnection(*remote);
    if (connection) connection->negotiator->handleSignal(fresh->offer);
    return;
  }
  Connection* connection = ensureConnection(*remote);
  if (!connection) return;
  const auto* offer = std::get_if<SessionDescription>(&*payload);
  if (offer && connection->negotiator->wouldRollBackFirstOffer(*offer)) {
    // Join-time glare on the polite side: answer from a new connection instead of rolling
    // back the first offer (Chromium often gathers nothing after that rollback). The peer,
    // impolite, ignored our offer, so it only ever sees this answer.
    auto queued = connection->negotiator->takeQueuedCandidates();
    connection = replaceConnection(*remote, false);
    if (!connection) return;
    connection->negotiator->handleSignal(*offer);
    for (auto& candidate : queued)
      connection->negotiator->handleSignal(CandidatePayload{candidate});
    return;
  }
  connection->negotiator->handleSignal(*payload);
}

void MeshLinks::resumed() {
  for (auto& remote : remotes_)
    if (remote.connection &&
        remote.connection->negotiator->pc().signalingState() != SignalingState::Stable)
      remote.connection->negotiator->recover();
}

void MeshLinks::restartIce(const std::string& memberId) {
  Remote* remote = find(memberId);
  if (remote && remote->connection) remote->connection->negotiator->restartIce();
}

void MeshLinks::localTracksChanged() {
  for (auto& remote : remotes_)
    if (remote.connection && remote.connection->localAttached)
      attachLocal(*remote.connection, false);
}

void MeshLinks::attachLocal(Connection& connection, bool ensureTransceivers) {
  PeerConnection& pc = connection.negotiator->pc();
  const bool sending = self_.sends;
  const bool audioOnly = self_.audioOnly;
  const bool wasAttached = connection.localAttached;
  connection.localAttached = true;
  auto sync = [&](MediaKind kind, SenderId& sender, std::string& carried,
                  const std::string& desired, const std::string& stream) {
    if (sender.empty()) {
      if (sending && !desired.empty()) {
        auto added = pc.addTrack(desired, kind, stream);
        if (added) {
          sender = added.value();
          carried = desired;
        }
      } else if (ensureTransceivers && !wasAttached) {
        // Nothing to send yet, but the offer must still ask for the peer's media (and keep
        // a sender ready for a track that comes later).
        auto added = pc.addTransceiver(kind, sending ? Direction::SendRecv : Direction::RecvOnly);
        if (added && sending) sender = added.value();
      }
      return;
    }
    if (carried == desired) return;
    carried = desired;
    pc.replaceTrack(sender, desired, [](std::optional<PeerError>) {});
  };
  sync(MediaKind::Audio, connection.audioSender, connection.audioTrack, local_.microphoneTrack(),
       local_.microphoneStream());
  if (!audioOnly)
    sync(MediaKind::Video, connection.videoSender, connection.videoTrack,
         local_.videoTrack(audioOnly), local_.videoStream());
  // A screen added next to the camera has its own sender, removed when sharing stops.
  const std::string screen = local_.addedScreenTrack();
  if (!sending || audioOnly) return;
  if (connection.screenSender.empty() && !screen.empty()) {
    auto added = pc.addTrack(screen, MediaKind::Video, local_.screenStream());
    if (added) {
      connection.screenSender = added.value();
      connection.screenTrack = screen;
    }
  } else if (!connection.screenSender.empty() && screen.empty()) {
    pc.removeTrack(connection.screenSender);
    connection.screenSender.clear();
    connection.screenTrack.clear();
  }
}

LinkState MeshLinks::state(const std::string& memberId) const {
  const Remote* remote = find(memberId);
  return remote && remote->connection ? remote->connection->negotiator->state()
                                      : LinkState::Connecting;
}

std::vector<RemoteTrack> MeshLinks::remoteTracks(const std::string& memberId) const {
  const Remote* remote = find(memberId);
  return remote ? remote->tracks : std::vector<RemoteTrack>{};
}

bool MeshLinks::restarting() const {
  return std::any_of(remotes_.begin(), remotes_.end(), [](const Remote& r) {
    if (!r.connection) return false;
    const LinkState s = r.connection->negotiator->state();
    return s == LinkState::Reconnecting || s == LinkState::Failed;
  });
}

const PeerNegotiator* MeshLinks::negotiatorFor(const std::string& memberId) const {
  const Remote* remote = find(memberId);
  return remote && remote->connection ? remote->connection->negotiator.get() : nullptr;
}

std::size_t MeshLinks::connectionCount() const {
  return static_cast<std::size_t>(std::count_if(
      remotes_.begin(), remotes_.end(), [](const Remote& r) { return r.connection != nullptr; }));
}

}  // namespace vroom
