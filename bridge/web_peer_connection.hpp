// PeerConnection over the browser's RTCPeerConnection (BrowserRuntime.pc*). Every async
// result is guarded by its Lifetime: nothing reaches the core after close(). The three
// states are kept from the connection's own change events, so reading one costs no call.
#pragma once

#include "js_runtime.hpp"
#include "lifetime.hpp"
#include "peer_connection.hpp"

namespace vroom::bridge {

class WebPeerConnection final : public PeerConnection {
 public:
  // Check ok() after construction: the browser may refuse the configuration.
  WebPeerConnection(JsRuntime& runtime, const std::vector<protocol::IceServer>& iceServers);
  ~WebPeerConnection() override;
  bool ok() const { return created_; }
  // The runtime's id of this connection ("pc7"): statistics and the JS API name it so.
  const std::string& id() const { return id_; }

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
  SignalingState signalingState() const override;
  PeerConnectionState connectionState() const override;
  IceConnectionState iceConnectionState() const override;
  void close() override;

 private:
  JsRuntime::ResultCallback completion(Completion done);
  void onEvent(const std::string& event, const emscripten::val& data);

  JsRuntime& runtime_;
  std::string id_;
  Lifetime lifetime_;  // drops promises that settle after this object let go
  bool created_ = false;
  bool closed_ = false;
  SignalingState signaling_ = SignalingState::Stable;
  PeerConnectionState connection_ = PeerConnectionState::New;
  IceConnectionState ice_ = IceConnectionState::New;
};

// The PeerConnectionFactory the room session uses in the browser.
PeerConnectionFactory webPeerConnectionFactory(JsRuntime& runtime);

}  // namespace vroom::bridge
