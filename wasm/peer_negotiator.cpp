// Perfect negotiation (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example) in
// callback form, with candidate queueing and the ICE/negotiation watchdogs.
#include "peer_negotiator.hpp"

namespace vroom {

template <class F>
auto PeerNegotiator::guarded(F f) {
  return lifetime_.guard([this, f = std::move(f)](auto&&... args) {
    if (closed_) return;
    f(std::forward<decltype(args)>(args)...);
  });
}

PeerNegotiator::PeerNegotiator(std::string selfId, std::string peerId,
                               std::unique_ptr<PeerConnection> pc, Clock& clock,
                               NegotiatorConfig config, SendSignal send)
    : selfId_(std::move(selfId)),
      peerId_(std::move(peerId)),
      pc_(std::move(pc)),
      clock_(clock),
      config_(config),
      send_(std::move(send)),
      polite_(isPolite(selfId_, peerId_)) {
  wire();
  updateWatchdog();
}

PeerNegotiator::~PeerNegotiator() {
  close();
  // Drop our callbacks from the pc: it may outlive nothing, but the bridge's may fire late.
  pc_->onNegotiationNeeded(nullptr);
  pc_->onIceCandidate(nullptr);
  pc_->onIceConnectionStateChange(nullptr);
  pc_->onConnectionStateChange(nullptr);
  pc_->onSignalingStateChange(nullptr);
  pc_->onTrack(nullptr);
  pc_->onTrackRemoved(nullptr);
}

void PeerNegotiator::wire() {
  pc_->onNegotiationNeeded(guarded([this] { negotiationNeeded(); }));
  pc_->onIceCandidate(
      guarded([this](const std::optional<IceCandidate>& candidate) { localCandidate(candidate); }));
  pc_->onIceConnectionStateChange(
      guarded([this](IceConnectionState state) { iceStateChanged(state); }));
  pc_->onConnectionStateChange(guarded([this](PeerConnectionState) { refreshState(); }));
  pc_->onSignalingStateChange(guarded([this](SignalingState) { updateWatchdog(); }));
  pc_->onTrack(guarded([this](const RemoteTrack& track) {
    if (remoteTrack_) remoteTrack_(track);
  }));
  pc_->onTrackRemoved(guarded([this](const std::string& id) {
    if (remoteTrackRemoved_) remoteTrackRemoved_(id);
  }));
}

bool PeerNegotiator::healthy() const {
  return pc_->signalingState() == SignalingState::Stable && !makingOffer_ &&
         state_ == LinkState::Connected;
}

bool PeerNegotiator::settled() const {
  return !closed_ && healthy() && inFlight_ == 0 && queued_.empty() && !settingRemoteAnswerPending_;
}

void PeerNegotiator::noteFailure(const char* what, const PeerError& error) {
  ++failures_;
  lastError_ = std::string(what) + ": " + error.name + " " + error.message;
}

void PeerNegotiator::sendLocalDescription(Result<SessionDescription, PeerError> result) {
  if (!result) return noteFailure("setLocalDescription", result.error());
  if (gathering_ == Gathering::Expect) {
    // This description started gathering (candidates may already have come).
    if (candidatesSinceExpect_ > 0) {
      gathering_ = Gathering::Done;
    } else {
      gathering_ = Gathering::Watching;
      gatherTimer_.start(config_.candidateTimeoutMs, [this] {
        if (gathering_ != Gathering::Watching) return;
        if (state_ == LinkState::Connected) return;
        deadReported_ = true;
        auto report = dead_;  // may destroy this negotiator
        if (report) report();
      });
    }
  }
  if (result.value().type == SdpType::Offer) {
    lastOffer_ = result.value();
    resends_ = 0;
    return sendOffer(result.value());
  }
  send_(result.value());
}

void PeerNegotiator::sendOffer(const SessionDescription& offer) {
  if (awaitingNewConnectionAnswer())
    send_(NewConnectionOffer{offer});
  else
    send_(offer);
}

void PeerNegotiator::localCandidate(const std::optional<IceCandidate>& candidate) {
  if (candidate) {
    ++candidatesSinceExpect_;
    if (gathering_ == Gathering::Watching) {
      gathering_ = Gathering::Done;
      gatherTimer_.cancel();
    }
  }
  send_(CandidatePayload{candidate});
}

void PeerNegotiator::negotiationNeeded() {
  makingOffer_ = true;
  ++inFlight_;
  pc_->setLocalDescription(guarded([this](Result<SessionDescription, PeerError> result) {
    --inFlight_;
    sendLocalDescription(std::move(result));
    makingOffer_ = false;
    updateWatchdog();
  }));
  updateWatchdog();
}

void PeerNegotiator::handleSignal(const SignalPayload& payload) {
  if (closed_) return;
  if (const auto* desc = std::get_if<SessionDescription>(&payload))
    description(*desc);
  else if (const auto* fresh = std::get_if<NewConnectionOffer>(&payload))
    description(fresh->offer);  // the session made this negotiator for it
  else
    candidate(std::get<CandidatePayload>(payload));
}

bool PeerNegotiator::wouldRollBackFirstOffer(const SessionDescription& offer) const {
  if (closed_ || !polite_ || offer.type != SdpType::Offer) return false;
  const bool ourOfferPending =
      makingOffer_ || pc_->signalingState() == SignalingState::HaveLocalOffer;
  return ourOfferPending && !remoteDescriptionSet_ && remoteDescriptionsInFlight_ == 0 &&
         !everConnected_;
}

void PeerNegotiator::description(const SessionDescription& description) {
  const bool isOffer = description.type == SdpType::Offer;
  const bool readyForOffer = !makingOffer_ && (pc_->signalingState() == SignalingState::Stable ||
                                               settingRemoteAnswerPending_);
  const bool offerCollision = isOffer && !readyForOffer;
  // A replacement waiting for its answer: a plain offer comes from the peer's old connection.
  const bool stale = isOffer && awaitingNewConnectionAnswer() && remoteDescriptionsInFlight_ == 0;
  ignoreOffer_ = (!polite_ && offerCollision) || stale;
  if (ignoreOffer_) {
    ++ignoredOffers_;
    // Nothing applied yet: every candidate kept so far came with the offer we ignore.
    if (!remoteDescriptionSet_ && remoteDescriptionsInFlight_ == 0) queued_.clear();
    return;
  }
  settingRemoteAnswerPending_ = description.type == SdpType::Answer;
  answering_ = answering_ || isOffer;
  ++inFlight_;
  ++remoteDescriptionsInFlight_;
  pc_->setRemoteDescription(
      description, guarded([this, isOffer](std::optional<PeerError> error) {
        --inFlight_;
        --remoteDescriptionsInFlight_;
        settingRemoteAnswerPending_ = false;
        if (error) {
          noteFailure("setRemoteDescription", *error);
          if (remoteDescriptionsInFlight_ == 0) answering_ = false;
          if (remoteDescriptionSet_) addQueuedCandidates();
          updateWatchdog();
          return;
        }
        remoteDescriptionSet_ = true;
        if (isOffer) {
          if (beforeAnswer_) beforeAnswer_();
          ++inFlight_;
          pc_->setLocalDescription(guarded([this](Result<SessionDescription, PeerError> result) {
            --inFlight_;
            sendLocalDescription(std::move(result));
            updateWatchdog();
          }));
          if (remoteDescriptionsInFlight_ == 0) answering_ = false;
        }
        // After the answer was asked for, so they queue behind it in the browser.
        if (!answering_) addQueuedCandidates();
        updateWatchdog();
      }));
}

void PeerNegotiator::candidate(const CandidatePayload& payload) {
  // Before any remote description the browser would reject the candidate; keep it until
  // one is applied (a description on its way through the operations chain counts), unless it
  // follows an offer we ignored: it belongs to that offer (whose connection the peer may have
  // closed since), and its end-of-candidates would end ICE on the one the peer answers from.
  // While an offer is being answered (answering_) candidates wait too, so they do not hold
  // the answer back.
  if (!remoteDescriptionSet_ && remoteDescriptionsInFlight_ == 0) {
    if (!ignoreOffer_) queued_.push_back(payload.candidate);
    return;
  }
  if (answering_) {
    queued_.push_back(payload.candidate);
    return;
  }
  addCandidate(payload.candidate);
}

void PeerNegotiator::addQueuedCandidates() {
  auto queued = std::move(queued_);
  queued_.clear();
  for (const auto& candidate : queued) addCandidate(candidate);
}

void PeerNegotiator::addCandidate(const std::optional<IceCandidate>& candidate) {
  ++inFlight_;
  pc_->addIceCandidate(candidate, guarded([this](std::optional<PeerError> error) {
                         --inFlight_;
                         // Candidates of an offer we ignored (or of an ICE generation already
                         // replaced) fail; that is expected and harmless.
                         if (error && !ignoreOffer_) noteFailure("addIceCandidate", *error);
                         updateWatchdog();
                       }));
}

void PeerNegotiator::iceStateChanged(IceConnectionState state) {
  switch (state) {
    case IceConnectionState::Connected:
    case IceConnectionState::Completed:
      // Not everConnected_ yet: ICE connects before DTLS does, and until the connection
      // itself is up a "connecting" peer is still connecting, not reconnecting.
      disconnectTimer_.cancel();
      break;
    case IceConnectionState::Disconnected:
      if (!disconnectTimer_.pending())
        disconnectTimer_.start(config_.iceRestartTimeoutMs, [this] {
          const auto now = pc_->iceConnectionState();
          if (now == IceConnectionState::Disconnected || now == IceConnectionState::Failed)
            restartIce();
        });
      break;
    case IceConnectionState::Failed:
      disconnectTimer_.cancel();
      restartIce();
      break;
    default:
      break;
  }
  refreshState();
}

void PeerNegotiator::restartIce() {
  if (closed_) return;
  ++iceRestarts_;
  // The next local offer gathers afresh: watch it as the first one was watched.
  gatherTimer_.cancel();
  gathering_ = Gathering::Expect;
  candidatesSinceExpect_ = 0;
  if (askRestart_)
    askRestart_();  // the restart comes as the other end's offer; this end answers it
  else
    pc_->restartIce();
  refreshState();
}

void PeerNegotiator::recover() {
  if (closed_) return;
  ++recoveries_;
  if (recover_) recover_();
  const auto signaling = pc_->signalingState();
  if (signaling == SignalingState::HaveLocalOffer && !makingOffer_) {
    // The offer or its answer was lost. Send the same offer again: if the peer applied it,
    // it answers again; rolling back instead would leave the peer with m-lines we forgot.
    if (lastOffer_ && resends_ < kMaxResends) {
      ++resends_;
      sendOffer(*lastOffer_);
      return;
    }
    // Still nothing: the peer cannot take this offer. Withdraw it and offer afresh.
    resends_ = 0;
    ++inFlight_;
    pc_->rollback(guarded([this](std::optional<PeerError> error) {
      --inFlight_;
      if (error) noteFailure("rollback", *error);
      restartIce();
      updateWatchdog();
    }));
    return;
  }
  if (signaling == SignalingState::HaveRemoteOffer && inFlight_ == 0) {
    // The answer failed to be made: try again.
    ++inFlight_;
    pc_->setLocalDescription(guarded([this](Result<SessionDescription, PeerError> result) {
      --inFlight_;
      sendLocalDescription(std::move(result));
      updateWatchdog();
    }));
    return;
  }
  if (signaling == SignalingState::Stable) restartIce();
}

void PeerNegotiator::close() {
  if (closed_) return;
  closed_ = true;
  disconnectTimer_.cancel();
  watchdogTimer_.cancel();
  gatherTimer_.cancel();
  queued_.clear();
  pc_->close();
  state_ = LinkState::Closed;
}

void PeerNegotiator::refreshState() {
  if (closed_) return;
  LinkState next = state_;
  switch (pc_->connectionState()) {
    case PeerConnectionState::Connected:
      next = LinkState::Connected;
      break;
    case PeerConnectionState::Failed:
      next = LinkState::Failed;
      break;
    case PeerConnectionState::Disconnected:
      next = LinkState::Reconnecting;
      break;
    case PeerConnectionState::New:
    case PeerConnectionState::Connecting:
      next = everConnected_ ? LinkState::Reconnecting : LinkState::Connecting;
      break;
    case PeerConnectionState::Closed:
      next = LinkState::Closed;
      break;
  }
  if (next == LinkState::Connected) everConnected_ = true;
  const bool changed = next != state_;
  state_ = next;
  updateWatchdog();
  if (changed && stateChange_) stateChange_();
}

void PeerNegotiator::updateWatchdog() {
  if (closed_) return;
  if (healthy()) {
    watchdogTimer_.cancel();
    return;
  }
  if (watchdogTimer_.pending()) return;
  watchdogTimer_.start(config_.negotiationTimeoutMs, [this] {
    if (!healthy()) recover();
    updateWatchdog();
  });
}

}  // namespace vroom
