// The RTCPeerConnection model behind FakePeerConnection: JSEP's signaling states, the
// operations chain, negotiation-needed rules, transceiver matching and a small ICE model.
#include "fake_peer_connection.hpp"

#include <algorithm>
#include <sstream>

namespace vroom::fakes {

namespace {

bool hasSend(Direction d) {
  return d == Direction::SendRecv || d == Direction::SendOnly;
}
bool hasRecv(Direction d) {
  return d == Direction::SendRecv || d == Direction::RecvOnly;
}
Direction makeDirection(bool send, bool recv) {
  if (send && recv) return Direction::SendRecv;
  if (send) return Direction::SendOnly;
  if (recv) return Direction::RecvOnly;
  return Direction::Inactive;
}
Direction reverse(Direction d) {
  return makeDirection(hasRecv(d), hasSend(d));
}
Direction intersect(Direction a, Direction b) {
  return makeDirection(hasSend(a) && hasSend(b), hasRecv(a) && hasRecv(b));
}
std::optional<Direction> directionFrom(const std::string& text) {
  for (Direction d :
       {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive})
    if (toString(d) == text) return d;
  return std::nullopt;
}
PeerError error(const char* name, std::string message) {
  return PeerError{name, std::move(message)};
}

// ",simulcast:l/4,m/2,h/1" for a call log; "" for one encoding.
std::string describe(const std::vector<SendEncoding>& encodings) {
  if (encodings.empty()) return {};
  std::string out = ",simulcast:";
  for (const auto& e : encodings) {
    if (out.back() != ':') out += ',';
    out += e.rid + "/" + std::to_string(static_cast<int>(e.scaleResolutionDownBy));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- FakeSdp

std::string FakeSdp::encode() const {
  std::ostringstream out;
  out << "fake-sdp pc=" << pc << " ice=" << iceGen << " offer=" << offerId << " answers=" << answers
      << "\n";
  for (const auto& line : lines)
    out << "m " << line.mid << " " << toString(line.kind) << " " << toString(line.direction) << " "
        << (line.trackId.empty() ? "-" : line.trackId) << " "
        << (line.streamId.empty() ? "-" : line.streamId) << "\n";
  return out.str();
}

std::optional<FakeSdp> FakeSdp::parse(const std::string& text) {
  std::istringstream in(text);
  std::string header;
  if (!std::getline(in, header)) return std::nullopt;
  FakeSdp sdp;
  if (std::sscanf(header.c_str(), "fake-sdp pc=%lu ice=%d offer=%lu answers=%lu", &sdp.pc,
                  &sdp.iceGen, &sdp.offerId, &sdp.answers) != 4)
    return std::nullopt;
  std::string row;
  while (std::getline(in, row)) {
    std::istringstream fields(row);
    std::string m, kind, direction;
    Line line;
    if (!(fields >> m >> line.mid >> kind >> direction >> line.trackId >> line.streamId) ||
        m != "m")
      return std::nullopt;
    if (kind != "audio" && kind != "video") return std::nullopt;
    line.kind = kind == "audio" ? MediaKind::Audio : MediaKind::Video;
    auto parsed = directionFrom(direction);
    if (!parsed) return std::nullopt;
    line.direction = *parsed;
    if (line.trackId == "-") line.trackId.clear();
    if (line.streamId == "-") line.streamId.clear();
    sdp.lines.push_back(std::move(line));
  }
  return sdp;
}

// ---------------------------------------------------------------- FakePeerConnection

FakePeerConnection::FakePeerConnection(FakePcNetwork& network, std::uint64_t uid, std::string owner)
    : network_(network), uid_(uid), owner_(std::move(owner)) {}

FakePeerConnection::~FakePeerConnection() {
  *alive_ = false;
  network_.forget(this);
}

void FakePeerConnection::schedule(std::function<void()> task, std::int64_t delayMs) {
  std::weak_ptr<bool> alive = alive_;
  network_.clock().setTimeout(delayMs, [alive, task = std::move(task)] {
    if (alive.expired()) return;
    task();
  });
}

void FakePeerConnection::enqueue(std::function<void()> operation) {
  chain_.push_back(std::move(operation));
  if (chain_.size() == 1) {
    std::weak_ptr<bool> alive = alive_;
    schedule([this, alive] { finishOperation(); }, network_.operationDelay());
  }
}

// Runs the operation at the head of the chain (it completes now), then starts the next.
void FakePeerConnection::finishOperation() {
  if (chain_.empty()) return;
  std::weak_ptr<bool> alive = alive_;
  auto operation = chain_.front();
  if (!closed_ || completeAfterClose_) operation();
  if (alive.expired()) return;  // the callback destroyed us
  if (!chain_.empty()) chain_.pop_front();
  if (closed_ && !completeAfterClose_) {
    chain_.clear();
    return;
  }
  if (!chain_.empty())
    schedule([this] { finishOperation(); }, network_.operationDelay());
  else
    updateNegotiationNeeded();
}

void FakePeerConnection::setSignaling(SignalingState state) {
  if (signaling_ == state) return;
  signaling_ = state;
  triggerSignalingStateChange(state);
}

std::size_t FakePeerConnection::countCalls(const std::string& prefix) const {
  return static_cast<std::size_t>(std::count_if(calls_.begin(), calls_.end(),
                                                [&](auto& c) { return c.rfind(prefix, 0) == 0; }));
}

FakePeerConnection::Transceiver* FakePeerConnection::findBySender(const SenderId& sender) {
  for (auto& t : transceivers_)
    if (t.senderId == sender) return &t;
  return nullptr;
}

FakePeerConnection::Transceiver* FakePeerConnection::findByMid(const std::string& mid) {
  if (mid.empty()) return nullptr;
  for (auto& t : transceivers_)
    if (t.mid == mid) return &t;
  return nullptr;
}

std::string FakePeerConnection::nextMid() {
  return std::to_string(++maxMid_);
}

bool FakePeerConnection::negotiationIsNeeded() const {
  if (restartPending_) return true;
  for (const auto& t : transceivers_) {
    if (t.mid.empty() || !t.lastLocalDir) return true;
    const Direction expected =
        t.lastWasOffer ? t.direction : intersect(t.direction, reverse(t.remoteOfferedDir));
    if (expected != *t.lastLocalDir) return true;
    // A sender now associated with another stream needs its msid renegotiated.
    if (hasSend(expected) && t.msidStream != t.lastLocalStream) return true;
  }
  return false;
}

// Per the spec's "update the negotiation-needed flag", queued as a task.
void FakePeerConnection::updateNegotiationNeeded() {
  schedule([this] {
    if (closed_ || !chain_.empty() || signaling_ != SignalingState::Stable) return;
    if (!negotiationIsNeeded()) {
      negotiationNeeded_ = false;
      return;
    }
    if (negotiationNeeded_) return;
    negotiationNeeded_ = true;
    calls_.push_back("event:negotiationneeded");
    triggerNegotiationNeeded();
  });
}

// Back in stable after a description: clear the flag, or fire again if still needed.
void FakePeerConnection::reachStable() {
  const bool before = negotiationNeeded_;
  if (!negotiationIsNeeded()) {
    negotiationNeeded_ = false;
    return;
  }
  if (!before) return updateNegotiationNeeded();
  // As the spec's "set the session description": fires again regardless of the chain.
  schedule([this] {
    if (closed_ || !negotiationNeeded_ || signaling_ != SignalingState::Stable ||
        !negotiationIsNeeded())
      return;
    calls_.push_back("event:negotiationneeded");
    triggerNegotiationNeeded();
  });
}

FakeSdp FakePeerConnection::makeOffer() {
  if (restartPending_) {
    ++localIceGen_;
    restartPending_ = false;
    pendingOfferRestarts_ = true;
  }
  FakeSdp sdp;
  sdp.pc = uid_;
  sdp.iceGen = localIceGen_;
  sdp.offerId = nextOfferId_++;
  // Negotiated m-lines keep their places (JSEP); new ones are appended.
  std::vector<Transceiver*> order;
  auto take = [&](Transceiver* t) {
    if (t && std::find(order.begin(), order.end(), t) == order.end()) order.push_back(t);
  };
  for (const auto* sdp : {&currentLocal_, &pendingLocal_})
    if (*sdp)
      for (const auto& line : (*sdp)->lines) take(findByMid(line.mid));
  for (auto& t : transceivers_)
    if (!t.mid.empty()) take(&t);
  for (auto& t : transceivers_) {
    if (!t.mid.empty()) continue;
    t.mid = nextMid();
    midsAssignedByPendingOffer_.push_back(t.mid);
    take(&t);
  }
  for (Transceiver* t : order) {
    FakeSdp::Line line{t->mid, t->kind, t->direction, "", ""};
    if (hasSend(t->direction)) {
      line.trackId = t->msidTrack;
      line.streamId = t->msidStream;
    }
    sdp.lines.push_back(std::move(line));
  }
  return sdp;
}

FakeSdp FakePeerConnection::makeAnswer() {
  const FakeSdp& offer = *pendingRemote_;
  if (currentRemote_ && (currentRemote_->pc != offer.pc || currentRemote_->iceGen != offer.iceGen))
    ++localIceGen_;  // the remote restarted ICE: both sides take new credentials
  FakeSdp sdp;
  sdp.pc = uid_;
  sdp.iceGen = localIceGen_;
  sdp.answers = offer.offerId;
  for (const auto& offered : offer.lines) {
    Transceiver* t = findByMid(offered.mid);
    FakeSdp::Line line{offered.mid, offered.kind, Direction::Inactive, "", ""};
    if (t) {
      line.direction = intersect(t->direction, reverse(offered.direction));
      if (hasSend(line.direction)) {
        line.trackId = t->msidTrack;
        line.streamId = t->msidStream;
      }
    }
    sdp.lines.push_back(std::move(line));
  }
  return sdp;
}

void FakePeerConnection::gather(int gen) {
  if (!gathers_) return;
  if (!gathered_.insert(gen).second) return;
  const std::string ufrag = std::to_string(uid_) + "-" + std::to_string(gen);
  const std::int64_t delay = network_.operationDelay();
  schedule(
      [this, gen, ufrag] {
        if (closed_) return;
        triggerIceCandidate(IceCandidate{
            "candidate:" + std::to_string(uid_) + " " + std::to_string(gen) + " udp host", "0", 0,
            ufrag});
      },
      delay);
  schedule(
      [this] {
        if (!closed_) triggerIceCandidate(std::nullopt);
      },
      delay + 1);
}

// Fires track/removal events when the set of remote track ids changes (a track that moves
// to another m-line, as after a rolled-back offer, stays one track).
void FakePeerConnection::applyRemoteTracks(const FakeSdp& sdp) {
  auto snapshot = [this] {
    std::map<std::string, RemoteTrack> out;
    for (const auto& t : transceivers_)
      if (!t.remoteTrack.empty())
        out.emplace(t.remoteTrack, RemoteTrack{t.remoteTrack, t.kind, t.remoteStream, t.mid});
    return out;
  };
  const auto before = snapshot();
  for (const auto& line : sdp.lines) {
    Transceiver* t = findByMid(line.mid);
    if (!t) continue;
    t->remoteTrack = hasSend(line.direction) ? line.trackId : std::string();
    t->remoteStream = line.streamId;
  }
  const auto after = snapshot();
  for (const auto& [id, track] : before)
    if (!after.count(id)) triggerTrackRemoved(id);
  for (const auto& [id, track] : after)
    if (!before.count(id)) triggerTrack(track);
}

void FakePeerConnection::rollbackLocalOffer() {
  for (const auto& mid : midsAssignedByPendingOffer_)
    if (Transceiver* t = findByMid(mid)) t->mid.clear();
  midsAssignedByPendingOffer_.clear();
  pendingLocal_.reset();
  if (pendingOfferRestarts_) restartPending_ = true;
  pendingOfferRestarts_ = false;
  setSignaling(SignalingState::Stable);
}

void FakePeerConnection::rollbackRemoteOffer() {
  if (!pendingRemote_) return;
  for (const auto& line : pendingRemote_->lines) {
    Transceiver* t = findByMid(line.mid);
    if (!t || t->lastLocalDir) continue;  // negotiated before this offer: keep it
    if (t->fromRemote && !t->everHadTrack) {
      const std::string mid = t->mid;
      transceivers_.erase(std::remove_if(transceivers_.begin(), transceivers_.end(),
                                         [&](const Transceiver& x) { return x.mid == mid; }),
                          transceivers_.end());
    } else {
      t->mid.clear();
    }
  }
  pendingRemote_.reset();
  setSignaling(SignalingState::Stable);
}

void FakePeerConnection::setLocalDescription(DescriptionCallback done) {
  calls_.push_back("setLocalDescription");
  enqueue([this, done = std::move(done)] {
    if (signaling_ == SignalingState::Stable || signaling_ == SignalingState::HaveLocalOffer) {
      FakeSdp offer = makeOffer();
      pendingLocal_ = offer;
      setSignaling(SignalingState::HaveLocalOffer);
      gather(offer.iceGen);
      done(SessionDescription{SdpType::Offer, offer.encode()});
      return;
    }
    if (signaling_ == SignalingState::HaveRemoteOffer && pendingRemote_) {
      FakeSdp answer = makeAnswer();
      for (const auto& line : answer.lines)
        if (Transceiver* t = findByMid(line.mid)) {
          t->lastLocalDir = line.direction;
          t->lastLocalStream = line.streamId;
          t->lastWasOffer = false;
        }
      currentRemote_ = std::move(pendingRemote_);
      pendingRemote_.reset();
      currentLocal_ = answer;
      setSignaling(SignalingState::Stable);
      gather(answer.iceGen);
      reachStable();
      network_.update();
      done(SessionDescription{SdpType::Answer, answer.encode()});
      return;
    }
    done(fail(
        error("InvalidStateError", "setLocalDescription in " + std::string(toString(signaling_)))));
  });
}

void FakePeerConnection::rollback(Completion done) {
  calls_.push_back("rollback");
  enqueue([this, done = std::move(done)] {
    if (signaling_ == SignalingState::HaveLocalOffer) {
      rollbackLocalOffer();
    } else if (signaling_ == SignalingState::HaveRemoteOffer) {
      rollbackRemoteOffer();
    } else {
      done(error("InvalidStateError", "rollback in stable"));
      return;
    }
    reachStable();
    done(std::nullopt);
  });
}

void FakePeerConnection::setRemoteDescription(const SessionDescription& description,
                                              Completion done) {
  calls_.push_back("setRemoteDescription(" + std::string(toString(description.type)) + ")");
  enqueue([this, description, done = std::move(done)] {
    auto sdp = FakeSdp::parse(description.sdp);
    if (!sdp) return done(error("OperationError", "unparsable SDP"));
    for (const auto& line : sdp->lines)
      if (!line.mid.empty() && std::all_of(line.mid.begin(), line.mid.end(), ::isdigit))
        maxMid_ = std::max(maxMid_, std::stoi(line.mid));
    if (description.type == SdpType::Offer) {
      if (signaling_ == SignalingState::HaveLocalOffer) rollbackLocalOffer();  // implicit
      if (signaling_ == SignalingState::HaveRemoteOffer) rollbackRemoteOffer();
      if (signaling_ != SignalingState::Stable)
        return done(error("InvalidStateError", "offer in " + std::string(toString(signaling_))));
      // As browsers do: a new offer must keep every negotiated m-line, in order.
      if (currentLocal_) {
        bool keeps = sdp->lines.size() >= currentLocal_->lines.size();
        for (std::size_t i = 0; keeps && i < currentLocal_->lines.size(); ++i)
          keeps = sdp->lines[i].mid == currentLocal_->lines[i].mid;
        if (!keeps)
          return done(
              error("InvalidAccessError", "the order of m-lines in the offer does not match"));
      }
      for (const auto& line : sdp->lines) {
        Transceiver* t = findByMid(line.mid);
        if (!t) {
          auto match = std::find_if(transceivers_.begin(), transceivers_.end(), [&](auto& x) {
            return x.mid.empty() && x.createdByAddTrack && x.kind == line.kind;
          });
          if (match != transceivers_.end()) {
            match->mid = line.mid;
            t = &*match;
          } else {
            Transceiver created;
            created.mid = line.mid;
            created.kind = line.kind;
            created.direction = Direction::RecvOnly;
            created.fromRemote = true;
            created.senderId = "s" + std::to_string(uid_) + "-" + std::to_string(nextSender_++);
            transceivers_.push_back(std::move(created));
            t = &transceivers_.back();
          }
        }
        t->remoteOfferedDir = line.direction;
      }
      pendingRemote_ = *sdp;
      setSignaling(SignalingState::HaveRemoteOffer);
      applyRemoteTracks(*sdp);
      done(std::nullopt);
      return;
    }
    if (description.type != SdpType::Answer)
      return done(error("OperationError", "pranswer is not modelled"));
    if (signaling_ != SignalingState::HaveLocalOffer || !pendingLocal_)
      return done(error("InvalidStateError", "answer in " + std::string(toString(signaling_))));
    bool matches =
        sdp->answers == pendingLocal_->offerId && sdp->lines.size() == pendingLocal_->lines.size();
    for (std::size_t i = 0; matches && i < sdp->lines.size(); ++i)
      matches = sdp->lines[i].mid == pendingLocal_->lines[i].mid;
    if (!matches) return done(error("InvalidAccessError", "answer does not match the offer"));
    for (const auto& line : pendingLocal_->lines)
      if (Transceiver* t = findByMid(line.mid)) {
        t->lastLocalDir = line.direction;
        t->lastLocalStream = line.streamId;
        t->lastWasOffer = true;
      }
    currentLocal_ = std::move(pendingLocal_);
    pendingLocal_.reset();
    currentRemote_ = *sdp;
    midsAssignedByPendingOffer_.clear();
    pendingOfferRestarts_ = false;
    setSignaling(SignalingState::Stable);
    applyRemoteTracks(*sdp);
    reachStable();
    network_.update();
    done(std::nullopt);
  });
}

void FakePeerConnection::addIceCandidate(const std::optional<IceCandidate>& candidate,
                                         Completion done) {
  calls_.push_back(candidate ? "addIceCandidate" : "addIceCandidate(end)");
  enqueue([this, candidate, done = std::move(done)] {
    const auto& remote = pendingRemote_ ? pendingRemote_ : currentRemote_;
    if (!remote) return done(error("InvalidStateError", "no remote description"));
    if (!candidate) {
      endOfCandidates_.insert(remote->ufrag());
      return done(std::nullopt);
    }
    if (!candidate->usernameFragment.empty() && candidate->usernameFragment != remote->ufrag())
      return done(error("OperationError", "unknown ufrag " + candidate->usernameFragment));
    remoteCandidates_.insert(remote->ufrag());
    network_.update();
    done(std::nullopt);
  });
}

std::vector<std::vector<SendEncoding>> FakePeerConnection::sendEncodings(MediaKind kind) const {
  std::vector<std::vector<SendEncoding>> out;
  for (const auto& t : transceivers_)
    if (t.kind == kind && !t.fromRemote) out.push_back(t.encodings);
  return out;
}

Result<SenderId, PeerError> FakePeerConnection::addTrack(
    const std::string& trackId, MediaKind kind, const std::string& streamId,
    const std::vector<SendEncoding>& encodings) {
  calls_.push_back("addTrack(" + trackId + describe(encodings) + ")");
  if (closed_) return fail(error("InvalidStateError", "closed"));
  for (const auto& t : transceivers_)
    if (!t.currentTrack.empty() && t.currentTrack == trackId)
      return fail(error("InvalidAccessError", "track already added"));
  Transceiver* reuse = nullptr;
  for (auto& t : transceivers_)
    if (!reuse && !t.everHadTrack && t.currentTrack.empty() && t.kind == kind) reuse = &t;
  if (!reuse || !encodings.empty()) {
    Transceiver created;
    created.kind = kind;
    created.direction = encodings.empty() ? Direction::SendRecv : Direction::SendOnly;
    created.encodings = encodings;
    created.createdByAddTrack = true;
    created.senderId = "s" + std::to_string(uid_) + "-" + std::to_string(nextSender_++);
    transceivers_.push_back(std::move(created));
    reuse = &transceivers_.back();
  } else {
    reuse->direction = makeDirection(true, hasRecv(reuse->direction));
  }
  reuse->currentTrack = reuse->msidTrack = trackId;
  reuse->msidStream = streamId;
  reuse->everHadTrack = true;
  updateNegotiationNeeded();
  return reuse->senderId;
}

Result<SenderId, PeerError> FakePeerConnection::addTransceiver(
    MediaKind kind, Direction direction, const std::vector<SendEncoding>& encodings) {
  calls_.push_back("addTransceiver(" + std::string(toString(kind)) + "," +
                   std::string(toString(direction)) + describe(encodings) + ")");
  if (closed_) return fail(error("InvalidStateError", "closed"));
  Transceiver created;
  created.kind = kind;
  created.direction = direction;
  created.encodings = encodings;
  created.senderId = "s" + std::to_string(uid_) + "-" + std::to_string(nextSender_++);
  created.msidTrack = "tx-" + created.senderId;
  transceivers_.push_back(std::move(created));
  updateNegotiationNeeded();
  return transceivers_.back().senderId;
}

void FakePeerConnection::replaceTrack(const SenderId& sender, const std::string& trackId,
                                      Completion done) {
  calls_.push_back("replaceTrack(" + sender + "," + trackId + ")");
  enqueue([this, sender, trackId, done = std::move(done)] {
    Transceiver* t = findBySender(sender);
    if (!t) return done(error("InvalidAccessError", "unknown sender"));
    t->currentTrack = trackId;
    if (!trackId.empty()) t->everHadTrack = true;
    done(std::nullopt);
  });
}

void FakePeerConnection::setEncodingsActive(const SenderId& sender,
                                            const std::vector<SendEncoding>& encodings,
                                            Completion done) {
  calls_.push_back("setEncodingsActive(" + sender + describe(encodings) + ")");
  enqueue([this, sender, encodings, done = std::move(done)] {
    Transceiver* t = findBySender(sender);
    if (!t) return done(error("InvalidAccessError", "unknown sender"));
    for (const auto& wanted : encodings)
      for (auto& e : t->encodings)
        if (e.rid == wanted.rid) e.active = wanted.active;
    done(std::nullopt);
  });
}

void FakePeerConnection::removeTrack(const SenderId& sender) {
  calls_.push_back("removeTrack(" + sender + ")");
  if (closed_) return;
  Transceiver* t = findBySender(sender);
  if (!t || t->currentTrack.empty()) return;
  t->currentTrack.clear();
  t->msidTrack.clear();
  t->direction = makeDirection(false, hasRecv(t->direction));
  updateNegotiationNeeded();
}

void FakePeerConnection::setIceServers(const std::vector<protocol::IceServer>& servers) {
  calls_.push_back("setIceServers");
  iceServers_ = servers;
}

void FakePeerConnection::restartIce() {
  calls_.push_back("restartIce");
  if (closed_) return;
  restartPending_ = true;
  updateNegotiationNeeded();
}

PeerConnectionState FakePeerConnection::connectionState() const {
  switch (ice_) {
    case IceConnectionState::New:
      return PeerConnectionState::New;
    case IceConnectionState::Checking:
      return PeerConnectionState::Connecting;
    case IceConnectionState::Connected:
    case IceConnectionState::Completed:
      return PeerConnectionState::Connected;
    case IceConnectionState::Disconnected:
      return PeerConnectionState::Disconnected;
    case IceConnectionState::Failed:
      return PeerConnectionState::Failed;
    case IceConnectionState::Closed:
      return PeerConnectionState::Closed;
  }
  return PeerConnectionState::Closed;
}

void FakePeerConnection::close() {
  calls_.push_back("close");
  if (closed_) return;
  closed_ = true;
  signaling_ = SignalingState::Closed;
  ice_ = IceConnectionState::Closed;
  network_.update();
}

std::vector<std::string> FakePeerConnection::sendingTracks() const {
  std::vector<std::string> out;
  for (const auto& t : transceivers_)
    if (!t.currentTrack.empty() && hasSend(t.direction)) out.push_back(t.currentTrack);
  return out;
}

bool FakePeerConnection::negotiatedKind(MediaKind kind) const {
  for (const auto* sdp : {&currentLocal_, &currentRemote_})
    if (*sdp)
      for (const auto& line : (*sdp)->lines)
        if (line.kind == kind) return true;
  return false;
}

}  // namespace vroom::fakes
