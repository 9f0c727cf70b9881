// The peer connection seam, one-to-one with RTCPeerConnection so the browser bridge stays
// thin. Async operations complete through callbacks (browser promises resolve later).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enum_names.hpp"
#include "protocol.hpp"
#include "result.hpp"

namespace vroom {

enum class SdpType { Offer, Answer, Pranswer, Rollback };
inline constexpr EnumName<SdpType> kSdpTypeNames[] = {{SdpType::Offer, "offer"},
                                                      {SdpType::Answer, "answer"},
                                                      {SdpType::Pranswer, "pranswer"},
                                                      {SdpType::Rollback, "rollback"}};
constexpr std::string_view toString(SdpType type) {
  return nameOf(kSdpTypeNames, type, "offer");
}
constexpr std::optional<SdpType> sdpTypeFromString(std::string_view text) {
  return valueOf(kSdpTypeNames, text);
}

struct SessionDescription {
  SdpType type = SdpType::Offer;
  std::string sdp;
  bool operator==(const SessionDescription&) const = default;
};

struct IceCandidate {
  std::string candidate;  // "candidate:..." line
  std::string sdpMid;
  int sdpMLineIndex = -1;  // -1: absent
  std::string usernameFragment;
  bool operator==(const IceCandidate&) const = default;
};

enum class SignalingState {
  Stable,
  HaveLocalOffer,
  HaveRemoteOffer,
  HaveLocalPranswer,
  HaveRemotePranswer,
  Closed
};
enum class PeerConnectionState { New, Connecting, Connected, Disconnected, Failed, Closed };
enum class IceConnectionState { New, Checking, Connected, Completed, Disconnected, Failed, Closed };
enum class MediaKind { Audio, Video };
enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

// The names are the browser's spellings: the bridge reads the browser's strings with these
// tables, logs and tests print them.
inline constexpr EnumName<SignalingState> kSignalingStateNames[] = {
    {SignalingState::Stable, "stable"},
    {SignalingState::HaveLocalOffer, "have-local-offer"},
    {SignalingState::HaveRemoteOffer, "have-remote-offer"},
    {SignalingState::HaveLocalPranswer, "have-local-pranswer"},
    {SignalingState::HaveRemotePranswer, "have-remote-pranswer"},
    {SignalingState::Closed, "closed"}};
inline constexpr EnumName<PeerConnectionState> kPeerConnectionStateNames[] = {
    {PeerConnectionState::New, "new"},
    {PeerConnectionState::Connecting, "connecting"},
    {PeerConnectionState::Connected, "connected"},
    {PeerConnectionState::Disconnected, "disconnected"},
    {PeerConnectionState::Failed, "failed"},
    {PeerConnectionState::Closed, "closed"}};
inline constexpr EnumName<IceConnectionState> kIceConnectionStateNames[] = {
    {IceConnectionState::New, "new"},
    {IceConnectionState::Checking, "checking"},
    {IceConnectionState::Connected, "connected"},
    {IceConnectionState::Completed, "completed"},
    {IceConnectionState::Disconnected, "disconnected"},
    {IceConnectionState::Failed, "failed"},
    {IceConnectionState::Closed, "closed"}};
inline constexpr EnumName<MediaKind> kMediaKindNames[] = {{MediaKind::Audio, "audio"},
                                                          {MediaKind::Video, "video"}};
inline constexpr EnumName<Direction> kDirectionNames[] = {{Direction::SendRecv, "sendrecv"},
                                                          {Direction::SendOnly, "sendonly"},
                                                          {Direction::RecvOnly, "recvonly"},
                                                          {Direction::Inactive, "inactive"}};

constexpr std::string_view toString(SignalingState state) {
  return nameOf(kSignalingStateNames, state, "closed");
}
constexpr std::string_view toString(PeerConnectionState state) {
  return nameOf(kPeerConnectionStateNames, state, "closed");
}
constexpr std::string_view toString(IceConnectionState state) {
  return nameOf(kIceConnectionStateNames, state, "closed");
}
constexpr std::string_view toString(MediaKind kind) {
  return nameOf(kMediaKindNames, kind, "video");
}
constexpr std::string_view toString(Direction direction) {
  return nameOf(kDirectionNames, direction, "inactive");
}

// A rejected promise: the DOMException name ("InvalidStateError", "OperationError", ...)
// and its message.
struct PeerError {
  std::string name;
  std::string message;
};

// The figures of getStats() the UI shows, flattened (zero/empty when unknown).
struct PeerStats {
  std::uint64_t bytesSent = 0, bytesReceived = 0;
  std::uint64_t packetsSent = 0, packetsReceived = 0, packetsLost = 0;
  std::uint64_t framesEncoded = 0, framesDecoded = 0;
  double roundTripTimeMs = 0, jitterMs = 0, framesPerSecond = 0;
  int frameWidth = 0, frameHeight = 0;
  std::string audioCodec, videoCodec;
  std::string localCandidateType, remoteCandidateType;  // "host" | "srflx" | "relay" | ...
  double audioLevel = 0;                                // 0..1, inbound
};

// How media travels on the selected candidate pair: "relayed" when either end is a TURN
// relay candidate, "direct" otherwise, "" while no pair is selected.
std::string_view mediaPath(const PeerStats& stats);

struct RemoteTrack {
  std::string trackId;
  MediaKind kind = MediaKind::Audio;
  std::string streamId;
  std::string mid;  // its transceiver's mid (the SFU's subscriber link maps mids to members)
  bool operator==(const RemoteTrack&) const = default;
};

// One encoding of a sent video track (RTCRtpEncodingParameters): simulcast sends several,
// each named by its rid, scaled down from the track and capped in bitrate.
struct SendEncoding {
  std::string rid;
  double scaleResolutionDownBy = 1;
  std::uint32_t maxBitrate = 0;  // bits/s; 0: the browser's choice
  bool active = true;            // false: not encoded or sent (RTCRtpEncodingParameters.active)
  bool operator==(const SendEncoding&) const = default;
};

using SenderId = std::string;
using Completion = std::function<void(std::optional<PeerError>)>;  // nullopt: success
using DescriptionCallback = std::function<void(Result<SessionDescription, PeerError>)>;

class PeerConnection {
 public:
  virtual ~PeerConnection() = default;

  // setLocalDescription() without argument: an offer in stable/have-local-offer, an answer in
  // have-remote-offer. Completes with pc.localDescription.
  virtual void setLocalDescription(DescriptionCallback done) = 0;
  // setLocalDescription({type: "rollback"}).
  virtual void rollback(Completion done) = 0;
  // An offer arriving in have-local-offer rolls the local offer back implicitly.
  virtual void setRemoteDescription(const SessionDescription& description, Completion done) = 0;
  // nullopt: end-of-candidates. Fails with InvalidStateError before a remote description.
  virtual void addIceCandidate(const std::optional<IceCandidate>& candidate, Completion done) = 0;
  // Empty `encodings`: one encoding, the browser's. Several: simulcast, a send-only
  // transceiver (addTransceiver with sendEncodings), as a video server takes it.
  virtual Result<SenderId, PeerError> addTrack(const std::string& trackId, MediaKind kind,
                                               const std::string& streamId,
                                               const std::vector<SendEncoding>& encodings = {}) = 0;
  // Returns the transceiver's sender (its track can be set later with replaceTrack).
  virtual Result<SenderId, PeerError> addTransceiver(
      MediaKind kind, Direction direction, const std::vector<SendEncoding>& encodings = {}) = 0;
  // Empty trackId: send nothing. Needs no renegotiation.
  virtual void replaceTrack(const SenderId& sender, const std::string& trackId,
                            Completion done) = 0;
  virtual void removeTrack(const SenderId& sender) = 0;
  // Turns a simulcast sender's encodings on and off (RTCRtpSender.setParameters): each of
  // `encodings` names one by its rid, with `active` as wanted. Needs no renegotiation.
  virtual void setEncodingsActive(const SenderId& sender, const std::vector<SendEncoding>& encodings,
                                  Completion done) = 0;
  virtual void restartIce() = 0;
  // New ICE servers (renewed TURN credentials) for every later gathering: the next ICE
  // restart allocates relays with them; the current path is left as it is.
  virtual void setIceServers(const std::vector<protocol::IceServer>& servers) = 0;
  virtual SignalingState signalingState() const = 0;
  virtual PeerConnectionState connectionState() const = 0;
  virtual IceConnectionState iceConnectionState() const = 0;
  // No event fires after close().
  virtual void close() = 0;

  void onNegotiationNeeded(std::function<void()> callback) {
    negotiationNeeded_ = std::move(callback);
  }
  // nullopt: gathering finished (end-of-candidates).
  void onIceCandidate(std::function<void(const std::optional<IceCandidate>&)> callback) {
    iceCandidate_ = std::move(callback);
  }
  void onConnectionStateChange(std::function<void(PeerConnectionState)> callback) {
    connectionState_ = std::move(callback);
  }
  void onIceConnectionStateChange(std::function<void(IceConnectionState)> callback) {
    iceConnectionState_ = std::move(callback);
  }
  void onSignalingStateChange(std::function<void(SignalingState)> callback) {
    signalingState_ = std::move(callback);
  }
  void onTrack(std::function<void(const RemoteTrack&)> callback) { track_ = std::move(callback); }
  // The remote stopped sending a track (its stream's removetrack / the receiver ended).
  void onTrackRemoved(std::function<void(const std::string& trackId)> callback) {
    trackRemoved_ = std::move(callback);
  }

 protected:
  void triggerNegotiationNeeded() {
    if (negotiationNeeded_) negotiationNeeded_();
  }
  void triggerIceCandidate(const std::optional<IceCandidate>& candidate) {
    if (iceCandidate_) iceCandidate_(candidate);
  }
  void triggerConnectionStateChange(PeerConnectionState state) {
    if (connectionState_) connectionState_(state);
  }
  void triggerIceConnectionStateChange(IceConnectionState state) {
    if (iceConnectionState_) iceConnectionState_(state);
  }
  void triggerSignalingStateChange(SignalingState state) {
    if (signalingState_) signalingState_(state);
  }
  void triggerTrack(const RemoteTrack& track) {
    if (track_) track_(track);
  }
  void triggerTrackRemoved(const std::string& trackId) {
    if (trackRemoved_) trackRemoved_(trackId);
  }

 private:
  std::function<void()> negotiationNeeded_;
  std::function<void(const std::optional<IceCandidate>&)> iceCandidate_;
  std::function<void(PeerConnectionState)> connectionState_;
  std::function<void(IceConnectionState)> iceConnectionState_;
  std::function<void(SignalingState)> signalingState_;
  std::function<void(const RemoteTrack&)> track_;
  std::function<void(const std::string&)> trackRemoved_;
};

// Makes a peer connection configured with the ICE servers from `welcome`. Returns nullptr
// when the browser refuses (bad ICE server URLs).
using PeerConnectionFactory =
    std::function<std::unique_ptr<PeerConnection>(const std::vector<protocol::IceServer>&)>;

}  // namespace vroom
