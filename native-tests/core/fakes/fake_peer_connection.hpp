// FakePeerConnection: RTCPeerConnection as perfect negotiation sees it (operations chain,
// async completion, implicit rollback, JSEP transceivers, negotiationneeded, ICE generations),
// recording calls and letting tests fire events; FakePcNetwork decides who is connected.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fake_clock.hpp"
#include "peer_connection.hpp"

namespace vroom::fakes {

// The fake's SDP: a readable line format carrying what the model needs.
struct FakeSdp {
  struct Line {
    std::string mid;
    MediaKind kind = MediaKind::Audio;
    Direction direction = Direction::SendRecv;
    std::string trackId;   // msid track, empty when not sending
    std::string streamId;  // msid stream
  };
  std::uint64_t pc = 0;       // the uid of the FakePeerConnection that wrote it
  int iceGen = 0;             // its ICE credentials generation
  std::uint64_t offerId = 0;  // offers: a number unique per pc
  std::uint64_t answers = 0;  // answers: the offerId answered
  std::vector<Line> lines;

  std::string encode() const;
  static std::optional<FakeSdp> parse(const std::string& text);
  std::string ufrag() const { return std::to_string(pc) + "-" + std::to_string(iceGen); }
};

class FakePcNetwork;

class FakePeerConnection : public PeerConnection {
 public:
  FakePeerConnection(FakePcNetwork& network, std::uint64_t uid, std::string owner);
  ~FakePeerConnection() override;

  void setLocalDescription(DescriptionCallback done) override;
  void rollback(Completion done) override;
  void setRemoteDescription(const SessionDescription& description, Completion done) override;
  void addIceCandidate(const std::optional<IceCandidate>& candidate, Completion done) override;
  Result<SenderId, PeerError> addTrack(const std::string& trackId, MediaKind kind,
                                       const std::string& streamId,
                                       const std::vector<SendEncoding>& encodings = {}) override;
  Result<SenderId, PeerError> addTransceiver(
      MediaKind kind, Direction direction,
      const std::vector<SendEncoding>& encodings = {}) override;
  void replaceTrack(const SenderId& sender, const std::string& trackId, Completion done) override;
  void removeTrack(const SenderId& sender) override;
  void setEncodingsActive(const SenderId& sender, const std::vector<SendEncoding>& encodings,
                          Completion done) override;
  void restartIce() override;
  void setIceServers(const std::vector<protocol::IceServer>& servers) override;
  const std::vector<protocol::IceServer>& iceServers() const { return iceServers_; }
  SignalingState signalingState() const override { return signaling_; }
  PeerConnectionState connectionState() const override;
  IceConnectionState iceConnectionState() const override { return ice_; }
  void close() override;

  // ---- inspection ----
  std::uint64_t uid() const { return uid_; }
  const std::string& owner() const { return owner_; }
  bool closed() const { return closed_; }
  const std::vector<std::string>& calls() const { return calls_; }
  std::size_t countCalls(const std::string& prefix) const;
  const std::optional<FakeSdp>& currentLocal() const { return currentLocal_; }
  const std::optional<FakeSdp>& currentRemote() const { return currentRemote_; }
  const std::optional<FakeSdp>& pendingLocal() const { return pendingLocal_; }
  const std::optional<FakeSdp>& pendingRemote() const { return pendingRemote_; }
  std::size_t pendingOperations() const { return chain_.size(); }
  bool negotiationNeededFlag() const { return negotiationNeeded_; }
  // Tracks this pc currently sends (replaceTrack applied), by kind.
  std::vector<std::string> sendingTracks() const;
  // The encodings each sender of `kind` was added with (empty: one, the browser's).
  std::vector<std::vector<SendEncoding>> sendEncodings(MediaKind kind) const;
  // Whether this pc's negotiated descriptions contain any m-line of `kind`.
  bool negotiatedKind(MediaKind kind) const;
  int localIceGen() const { return localIceGen_; }
  // Models a bridge whose promises still resolve after close(): pending operations complete
  // and call back (the code under test must ignore them).
  void setCompleteAfterClose(bool value) { completeAfterClose_ = value; }
  // Models Chromium's dead connection (after rolling back its first offer): no local
  // candidate is ever gathered again, ICE restarts included.
  void setGathers(bool value) { gathers_ = value; }

  // ---- test hooks: fire events as the browser would ----
  void fireNegotiationNeeded() { triggerNegotiationNeeded(); }
  void fireIceCandidate(const std::optional<IceCandidate>& c) { triggerIceCandidate(c); }
  void fireConnectionState(PeerConnectionState s) { triggerConnectionStateChange(s); }
  void fireIceConnectionState(IceConnectionState s) {
    ice_ = s;
    triggerIceConnectionStateChange(s);
    triggerConnectionStateChange(connectionState());
  }
  void fireTrack(const RemoteTrack& t) { triggerTrack(t); }
  void fireTrackRemoved(const std::string& id) { triggerTrackRemoved(id); }

 private:
  friend class FakePcNetwork;

  struct Transceiver {
    std::string mid;
    MediaKind kind = MediaKind::Audio;
    Direction direction = Direction::SendRecv;
    SenderId senderId;
    std::string msidTrack, msidStream;    // set by addTrack
    std::vector<SendEncoding> encodings;  // simulcast: what addTrack/addTransceiver asked
    std::string currentTrack;             // what replaceTrack set
    bool createdByAddTrack = false;
    bool fromRemote = false;
    bool everHadTrack = false;
    std::optional<Direction> lastLocalDir;  // in the current local description
    std::string lastLocalStream;            // the msid stream it announced there
    bool lastWasOffer = false;
    Direction remoteOfferedDir = Direction::Inactive;
    std::string remoteTrack, remoteStream;  // what the remote sends on this m-line
  };

  void enqueue(std::function<void()> operation);
  void finishOperation();
  void schedule(std::function<void()> task, std::int64_t delayMs = 0);
  void setSignaling(SignalingState state);
  void updateNegotiationNeeded();
  bool negotiationIsNeeded() const;
  FakeSdp makeOffer();
  FakeSdp makeAnswer();
  std::optional<PeerError> applyRemote(const FakeSdp& sdp, SdpType type);
  void rollbackLocalOffer();
  void rollbackRemoteOffer();
  void reachStable();
  void applyRemoteTracks(const FakeSdp& sdp);
  void gather(int gen);
  Transceiver* findBySender(const SenderId& sender);
  Transceiver* findByMid(const std::string& mid);
  std::string nextMid();

  FakePcNetwork& network_;
  std::uint64_t uid_;
  std::string owner_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool closed_ = false;
  bool completeAfterClose_ = false;
  bool gathers_ = true;
  SignalingState signaling_ = SignalingState::Stable;
  IceConnectionState ice_ = IceConnectionState::New;
  std::vector<Transceiver> transceivers_;
  std::optional<FakeSdp> currentLocal_, pendingLocal_, currentRemote_, pendingRemote_;
  std::vector<std::string> midsAssignedByPendingOffer_;
  bool pendingOfferRestarts_ = false;
  int localIceGen_ = 1;
  bool restartPending_ = false;
  std::set<int> gathered_;
  std::set<std::string> remoteCandidates_;  // ufrags a candidate arrived for
  std::set<std::string> endOfCandidates_;
  std::uint64_t nextOfferId_ = 1;
  int nextSender_ = 1;
  int maxMid_ = -1;
  std::deque<std::function<void()>> chain_;
  bool negotiationNeeded_ = false;
  std::vector<std::string> calls_;
  std::vector<protocol::IceServer> iceServers_;
  // ICE bookkeeping for FakePcNetwork.
  std::int64_t iceSinceMs_ = 0;
  std::pair<int, int> failedGens_{-1, -1};
};

// All fake peer connections of a test or simulation, deciding connectivity from their
// negotiated descriptions, received candidates and (test-controlled) broken paths.
class FakePcNetwork {
 public:
  struct Options {
    std::int64_t maxOperationDelayMs = 0;  // each async operation completes within this
    std::int64_t disconnectedFailAfterMs = 10000;
    std::int64_t checkingFailAfterMs = 15000;
  };
  FakePcNetwork(FakeClock& clock, Random* random = nullptr) : FakePcNetwork(clock, random, {}) {}
  FakePcNetwork(FakeClock& clock, Random* random, Options options)
      : clock_(clock), random_(random), options_(options) {}

  std::unique_ptr<FakePeerConnection> create(const std::string& owner);
  // A factory that records the ICE servers each pc was made with.
  PeerConnectionFactory factory(const std::string& owner);

  // Media between the pcs of two owners stops (true) or flows again (false).
  void setPathBroken(const std::string& ownerA, const std::string& ownerB, bool broken);
  // Fails the next factory call (the browser refusing the configuration).
  void failNextCreate() { failNextCreate_ = true; }
  // The next `count` pcs made for `owner` never gather a local candidate (setGathers(false)).
  void makeNextDead(const std::string& owner, int count = 1) { deadNext_[owner] = count; }
  // How many pcs were ever made for `owner` (destroyed ones included).
  int createdFor(const std::string& owner) const {
    auto it = created_.find(owner);
    return it == created_.end() ? 0 : it->second;
  }

  FakePeerConnection* find(std::uint64_t uid) const;
  std::vector<FakePeerConnection*> all() const;  // open and closed, not destroyed
  std::vector<FakePeerConnection*> openOwnedBy(const std::string& owner) const;
  const std::vector<std::vector<protocol::IceServer>>& iceServersSeen() const { return ice_; }

  // Recomputes every pc's ICE state and fires the changes (asynchronously).
  void update();

  FakeClock& clock() { return clock_; }
  std::int64_t operationDelay();

 private:
  friend class FakePeerConnection;
  void forget(FakePeerConnection* pc);
  IceConnectionState computeIce(FakePeerConnection& pc);
  bool linkUp(FakePeerConnection& a, FakePeerConnection& b) const;

  FakeClock& clock_;
  Random* random_;
  Options options_;
  std::uint64_t nextUid_ = 1;
  std::map<std::uint64_t, FakePeerConnection*> pcs_;
  std::set<std::pair<std::string, std::string>> broken_;
  std::vector<std::vector<protocol::IceServer>> ice_;
  bool failNextCreate_ = false;
  std::map<std::string, int> deadNext_, created_;
  bool updating_ = false;
};

}  // namespace vroom::fakes
