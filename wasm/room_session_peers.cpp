// RoomSession's members and their peer connections: who offers to whom, routing signals to
// each PeerNegotiator, remote tracks, per-peer state in the snapshot, stats and levels.
#include "room_session.hpp"

#include <algorithm>

#include "sdp_direction.hpp"

namespace vroom {

RoomSession::Member* RoomSession::findMember(const std::string& id) {
  for (auto& member : members_)
    if (member.info.id == id) return &member;
  return nullptr;
}

const RoomSession::Member* RoomSession::findMember(const std::string& id) const {
  for (const auto& member : members_)
    if (member.info.id == id) return &member;
  return nullptr;
}

bool RoomSession::sendsMedia() const {
  return self_.role != protocol::Role::Viewer;
}

void RoomSession::addMember(const protocol::PeerInfo& info, bool offer) {
  if (info.id.empty() || info.id == self_.id) return;
  if (Member* existing = findMember(info.id)) {
    existing->info = info;
    return;
  }
  // Broadcast viewers see only the host and never connect to each other.
  if (self_.role == protocol::Role::Viewer && info.role != protocol::Role::Host) return;
  members_.push_back(Member{info, nullptr, {}, false});
  if (!offer) return;  // the other side offers; the link is made when its offer arrives
  if (Link* link = ensureLink(members_.back())) attachLocal(*link, true);
}

void RoomSession::removeMember(const std::string& id) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const Member& m) { return m.info.id == id; });
  if (it == members_.end()) return;
  members_.erase(it);  // the negotiator closes its connection
  updateRecovery();
  changed();
}

void RoomSession::reconcileMembers(const std::vector<protocol::PeerInfo>& members) {
  std::vector<std::string> gone;
  for (const auto& member : members_)
    if (std::none_of(members.begin(), members.end(),
                     [&](const protocol::PeerInfo& p) { return p.id == member.info.id; }))
      gone.push_back(member.info.id);
  for (const auto& id : gone) removeMember(id);
  const bool host = self_.role == protocol::Role::Host;
  // Newcomers met while away offered to us (their signals were queued); a host still
  // offers to viewers itself.
  for (const auto& peer : members) addMember(peer, host && peer.role == protocol::Role::Viewer);
}

void RoomSession::clearMembers() {
  if (members_.empty()) return;
  members_.clear();
  changed();
}

RoomSession::Link* RoomSession::ensureLink(Member& member) {
  if (member.link) return member.link.get();
  std::unique_ptr<PeerConnection> pc = factory_ ? factory_(iceServers_) : nullptr;
  if (!pc) {
    setError(makeError(SessionErrorCode::PeerConnectionUnavailable));
    return nullptr;
  }
  const std::string id = member.info.id;
  auto link = std::make_unique<Link>();
  link->negotiator =
      std::make_unique<PeerNegotiator>(self_.id, id, std::move(pc), clock_, config_.negotiation,
                                       [this, id](const SignalPayload& payload) {
                                         send(protocol::Signal{id, "", encodeSignal(payload)});
                                       });
  PeerNegotiator& negotiator = *link->negotiator;
  negotiator.onStateChange([this, id] {
    Member* m = findMember(id);
    if (m && m->link && m->link->negotiator->state() == LinkState::Connected) m->replacements = 0;
    updateRecovery();
    changed();
  });
  negotiator.onDead([this, id, dead = &negotiator] {
    // Not from inside the negotiator's own callback: replacing destroys it.
    clock_.setTimeout(0, lifetime_.guard([this, id, dead] { onDeadLink(id, dead); }));
  });
  negotiator.onRemoteTrack([this, id](const RemoteTrack& track) {
    Member* m = findMember(id);
    if (!m || m->info.role == protocol::Role::Viewer) return;  // a viewer's media is never shown
    auto same = [&](const RemoteTrack& t) { return t.trackId == track.trackId; };
    if (std::any_of(m->tracks.begin(), m->tracks.end(), same)) return;
    m->tracks.push_back(track);
    changed();
  });
  negotiator.onRemoteTrackRemoved([this, id](const std::string& trackId) {
    Member* m = findMember(id);
    if (!m) return;
    std::erase_if(m->tracks, [&](const RemoteTrack& t) { return t.trackId == trackId; });
    changed();
  });
  negotiator.onBeforeAnswer([this, id] {
    Member* m = findMember(id);
    if (m && m->link && sendsMedia()) attachLocal(*m->link, false);
  });
  negotiator.onRecover([this, id] {
    // A link made for a signal that never brought an offer has no m-lines: give it some
    // before it offers. Links that did negotiate keep exactly what they have.
    Member* m = findMember(id);
    if (m && m->link && !m->link->localAttached && !m->link->negotiator->hasRemoteDescription())
      attachLocal(*m->link, true);
  });
  member.link = std::move(link);
  return member.link.get();
}

RoomSession::Link* RoomSession::replaceLink(Member& member, bool announce) {
  member.link.reset();  // closes the old connection; its remote tracks went with it
  member.tracks.clear();
  Link* link = ensureLink(member);
  if (link && announce) {
    link->negotiator->announceNewConnection();
    attachLocal(*link, true);  // negotiationneeded: the newConnection offer
  }
  updateRecovery();
  changed();
  return link;
}

void RoomSession::onDeadLink(const std::string& peerId, const PeerNegotiator* negotiator) {
  Member* member = findMember(peerId);
  // Already replaced or gone (the peer's own newConnection offer may have come first).
  if (!member || !member->link || member->link->negotiator.get() != negotiator) return;
  if (member->replacements >= kMaxReplacements) return;
  ++member->replacements;
  replaceLink(*member, true);
}

void RoomSession::onSignal(const protocol::Signal& signal) {
  auto payload = decodeSignal(signal.data);
  if (!payload) return;
  Member* member = findMember(signal.from);
  if (!member) return;  // not (yet) a member we know: its watchdog will try again
  if (member->info.role == protocol::Role::Viewer) {
    // A viewer only receives: whatever its offer or answer says it sends, the host accepts
    // none of it.
    auto* description = std::get_if<SessionDescription>(&*payload);
    if (auto* fresh = std::get_if<NewConnectionOffer>(&*payload)) description = &fresh->offer;
    if (description) description->sdp = withoutIncomingMedia(description->sdp);
  }
  if (const auto* fresh = std::get_if<NewConnectionOffer>(&*payload)) {
    // The peer replaced its connection: ours pairs with nothing now. When both replaced at
    // once, the impolite side keeps its own replacement and the polite one answers it.
    const PeerNegotiator* current = member->link ? member->link->negotiator.get() : nullptr;
    if (current && current->awaitingNewConnectionAnswer() && !current->polite()) return;
    Link* link = current ? replaceLink(*member, false) : ensureLink(*member);
    if (link) link->negotiator->handleSignal(fresh->offer);
    return;
  }
  Link* link = ensureLink(*member);
  if (!link) return;
  const auto* offer = std::get_if<SessionDescription>(&*payload);
  if (offer && link->negotiator->wouldRollBackFirstOffer(*offer)) {
    // Join-time glare on the polite side: answer from a new connection instead of rolling
    // back the first offer (Chromium often gathers nothing after that rollback). The peer,
    // impolite, ignored our offer, so it only ever sees this answer.
    auto queued = link->negotiator->takeQueuedCandidates();
    link = replaceLink(*member, false);
    if (!link) return;
    link->negotiator->handleSignal(*offer);
    for (auto& candidate : queued) link->negotiator->handleSignal(CandidatePayload{candidate});
    return;
  }
  link->negotiator->handleSignal(*payload);
}

void RoomSession::updateRecovery() {
  if (state_ != SessionState::Joined) return;
  const bool restarting = std::any_of(members_.begin(), members_.end(), [](const Member& m) {
    if (!m.link) return false;
    const LinkState s = m.link->negotiator->state();
    return s == LinkState::Reconnecting || s == LinkState::Failed;
  });
  const Recovery next = restarting ? Recovery::IceRestart : Recovery::None;
  if (next == recovery_) return;
  recovery_ = next;
  changed();
}

MemberSnapshot RoomSession::memberSnapshot(const Member& member) const {
  MemberSnapshot out;
  out.id = member.info.id;
  out.name = member.info.name;
  out.role = member.info.role;
  out.media = member.info.media;
  out.speaking = member.speaking;
  out.connection = member.link ? member.link->negotiator->state() : LinkState::Connecting;
  std::vector<std::string> videoStreams;
  for (const auto& track : member.tracks) {
    if (track.kind == MediaKind::Audio) {
      if (out.audioStreamId.empty()) out.audioStreamId = track.streamId;
    } else if (std::find(videoStreams.begin(), videoStreams.end(), track.streamId) ==
               videoStreams.end()) {
      videoStreams.push_back(track.streamId);
    }
  }
  // A second video stream is a screen added next to the camera; a single one carries the
  // screen in place of the camera while the peer says it is sharing.
  if (videoStreams.size() >= 2) {
    out.cameraStreamId = videoStreams[0];
    out.screenStreamId = videoStreams[1];
  } else if (videoStreams.size() == 1) {
    (member.info.media.screen ? out.screenStreamId : out.cameraStreamId) = videoStreams[0];
  }
  return out;
}

const PeerNegotiator* RoomSession::negotiatorFor(const std::string& peerId) const {
  const Member* member = findMember(peerId);
  return member && member->link ? member->link->negotiator.get() : nullptr;
}

std::size_t RoomSession::peerConnectionCount() const {
  return static_cast<std::size_t>(std::count_if(members_.begin(), members_.end(),
                                                [](const Member& m) { return m.link != nullptr; }));
}

void RoomSession::restartIce(const std::string& peerId) {
  Member* member = findMember(peerId);
  if (member && member->link) member->link->negotiator->restartIce();
}

void RoomSession::setAudioLevel(const std::string& peerId, double level) {
  const bool speaking = level >= config_.speakingThreshold;
  bool* flag = &selfSpeaking_;
  if (!peerId.empty()) {
    Member* member = findMember(peerId);
    if (!member) return;
    flag = &member->speaking;
  }
  if (*flag == speaking) return;  // levels move constantly; only the flag is news
  *flag = speaking;
  changed();
}

}  // namespace vroom
