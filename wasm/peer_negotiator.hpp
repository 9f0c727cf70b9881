// PeerNegotiator: one per remote peer, the W3C "perfect negotiation" pattern over the
// PeerConnection seam, plus the watchdogs that restart ICE when a connection fails, stays
// disconnected, or a negotiation gets stuck (a lost offer or answer), and that report a
// connection that gathers no local candidate (dead: the session replaces it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "lifetime.hpp"
#include "link_state.hpp"
#include "peer_connection.hpp"
#include "signal_payload.hpp"
#include "timer.hpp"

namespace vroom {

struct NegotiatorConfig {
  // ICE "disconnected" this long: restart ICE ("failed" restarts at once).
  std::int64_t iceRestartTimeoutMs = 5000;
  // Not stable-and-connected this long (an offer or answer was lost, candidates never came):
  // roll back if needed and restart ICE. Re-armed after each attempt.
  std::int64_t negotiationTimeoutMs = 10000;
  // No local candidate this long after a local description that starts ICE gathering (the
  // first one, or the first after an ICE restart): the connection is dead. Chromium ends up
  // so after rolling back its very first offer in a collision, and no ICE restart helps.
  std::int64_t candidateTimeoutMs = 5000;
};

class PeerNegotiator {
 public:
  using SendSignal = std::function<void(const SignalPayload&)>;

  PeerNegotiator(std::string selfId, std::string peerId, std::unique_ptr<PeerConnection> pc,
                 Clock& clock, NegotiatorConfig config, SendSignal send);
  ~PeerNegotiator();
  PeerNegotiator(const PeerNegotiator&) = delete;
  PeerNegotiator& operator=(const PeerNegotiator&) = delete;

  // The polite peer yields on glare. Decided from the ids alone so both ends agree.
  static bool isPolite(std::string_view selfId, std::string_view peerId) { return selfId > peerId; }

  void handleSignal(const SignalPayload& payload);
  // An ICE restart through negotiationneeded (the perfect-negotiation path).
  void restartIce();
  // Gets out of a stuck negotiation: re-sends a dangling local offer (rolling it back only
  // if that keeps failing), or restarts ICE when stable but not connected.
  void recover();
  // Closes the connection; nothing is sent or reported afterwards.
  void close();
  // This negotiator's connection replaces a dead one: its offers carry "newConnection" until
  // one is answered, and plain offers (from the peer's old connection) are ignored meanwhile.
  void announceNewConnection() { newConnection_ = true; }

  // Called after a remote offer is applied and before the answer is made, so local tracks
  // added here ride on the offered m-lines (JSEP reuses their transceivers).
  void onBeforeAnswer(std::function<void()> callback) { beforeAnswer_ = std::move(callback); }
  // Called when a watchdog or the session starts a recovery, before anything is renegotiated
  // (a connection made only to answer may need transceivers before it can offer).
  void onRecover(std::function<void()> callback) { recover_ = std::move(callback); }
  void onStateChange(std::function<void()> callback) { stateChange_ = std::move(callback); }
  // For a connection whose offers only the other end makes (a video server's subscriber
  // link): an ICE restart calls this, to ask that end for a restart offer, instead of offering.
  void onAskRestart(std::function<void()> callback) { askRestart_ = std::move(callback); }
  // The connection gathered no local candidate within candidateTimeoutMs: it must be replaced.
  void onDead(std::function<void()> callback) { dead_ = std::move(callback); }
  void onRemoteTrack(std::function<void(const RemoteTrack&)> callback) {
    remoteTrack_ = std::move(callback);
  }
  void onRemoteTrackRemoved(std::function<void(const std::string&)> callback) {
    remoteTrackRemoved_ = std::move(callback);
  }

  PeerConnection& pc() { return *pc_; }
  const PeerConnection& pc() const { return *pc_; }
  const std::string& peerId() const { return peerId_; }
  LinkState state() const { return state_; }
  bool polite() const { return polite_; }
  bool makingOffer() const { return makingOffer_; }
  bool ignoreOffer() const { return ignoreOffer_; }
  bool answerPending() const { return settingRemoteAnswerPending_; }
  std::size_t queuedCandidates() const { return queued_.size(); }
  bool hasRemoteDescription() const { return remoteDescriptionSet_; }
  int operationsInFlight() const { return inFlight_; }
  int ignoredOffers() const { return ignoredOffers_; }
  int iceRestarts() const { return iceRestarts_; }
  int recoveries() const { return recoveries_; }
  int failedOperations() const { return failures_; }
  const std::string& lastError() const { return lastError_; }
  bool dead() const { return deadReported_; }
  // Applying `offer` now would roll back this connection's very first offer (we are polite and
  // our offer is pending, nothing was ever negotiated): Chromium's connection is then often
  // dead, so the session answers it from a new connection instead.
  bool wouldRollBackFirstOffer(const SessionDescription& offer) const;
  // Remote candidates waiting for a first remote description or for our answer (handed to a
  // replacement).
  std::vector<std::optional<IceCandidate>> takeQueuedCandidates() { return std::move(queued_); }
  // A replacement whose "newConnection" offer is not answered yet.
  bool awaitingNewConnectionAnswer() const { return newConnection_ && !remoteDescriptionSet_; }
  // Stable, connected and nothing in flight: what "negotiation settled" means in tests.
  bool settled() const;

 private:
  void wire();
  void negotiationNeeded();
  void description(const SessionDescription& description);
  void candidate(const CandidatePayload& payload);
  void addCandidate(const std::optional<IceCandidate>& candidate);
  void addQueuedCandidates();
  void iceStateChanged(IceConnectionState state);
  void sendLocalDescription(Result<SessionDescription, PeerError> result);
  void sendOffer(const SessionDescription& offer);
  void localCandidate(const std::optional<IceCandidate>& candidate);
  void noteFailure(const char* what, const PeerError& error);
  void refreshState();
  void updateWatchdog();
  bool healthy() const;
  // Wraps a callback so it is dropped once this negotiator is closed or destroyed (browser
  // promises can resolve after the C++ side let go).
  template <class F>
  auto guarded(F f);

  std::string selfId_, peerId_;
  std::unique_ptr<PeerConnection> pc_;
  Clock& clock_;
  NegotiatorConfig config_;
  SendSignal send_;
  bool polite_;
  Lifetime lifetime_;
  bool closed_ = false;

  bool makingOffer_ = false;
  bool ignoreOffer_ = false;
  bool settingRemoteAnswerPending_ = false;
  bool remoteDescriptionSet_ = false;
  int remoteDescriptionsInFlight_ = 0;
  // From applying a remote offer until our answer is asked for, candidates wait as well: the
  // browser runs operations in order, so candidates added first would hold the answer back
  // (Chromium: a blocking round trip each), and the answer is what the peer is waiting for.
  bool answering_ = false;
  std::vector<std::optional<IceCandidate>> queued_;
  std::optional<SessionDescription> lastOffer_;  // re-sent when its answer never comes
  int resends_ = 0;
  static constexpr int kMaxResends = 2;
  int inFlight_ = 0;

  LinkState state_ = LinkState::Connecting;
  bool everConnected_ = false;
  Timer disconnectTimer_{clock_};
  Timer watchdogTimer_{clock_};
  // Gathering watch: Expect until a local description starts gathering, then Watching until
  // a local candidate arrives (Done) or candidateTimeoutMs pass (dead).
  enum class Gathering { Expect, Watching, Done };
  Gathering gathering_ = Gathering::Expect;
  int candidatesSinceExpect_ = 0;
  Timer gatherTimer_{clock_};
  bool deadReported_ = false;
  bool newConnection_ = false;
  int ignoredOffers_ = 0;
  int iceRestarts_ = 0;
  int recoveries_ = 0;
  int failures_ = 0;
  std::string lastError_;

  std::function<void()> beforeAnswer_;
  std::function<void()> stateChange_;
  std::function<void()> recover_;
  std::function<void()> askRestart_;
  std::function<void()> dead_;
  std::function<void(const RemoteTrack&)> remoteTrack_;
  std::function<void(const std::string&)> remoteTrackRemoved_;
};

}  // namespace vroom
