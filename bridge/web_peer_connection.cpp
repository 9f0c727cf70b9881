// Translation between RTCPeerConnection's JS values (strings, plain objects) and the seam's
// enums and structs.
#include "web_peer_connection.hpp"

#include <string_view>

namespace vroom::bridge {
namespace {

using emscripten::val;

// A browser state string through the seam's table; an unknown one reads as closed.
template <class Enum, std::size_t N>
Enum fromName(const std::string& name, const EnumName<Enum> (&table)[N]) {
  return valueOf(table, name).value_or(Enum::Closed);
}

PeerError peerError(const val& value) {
  const JsError error = jsError(value);
  return {error.name, error.message};
}

std::string stringField(const val& object, const char* key) {
  const val field = object[key];
  return field.isString() ? field.as<std::string>() : std::string();
}

val iceServersToJs(const std::vector<protocol::IceServer>& servers) {
  val list = val::array();
  for (const auto& server : servers) {
    val entry = val::object();
    val urls = val::array();
    for (const auto& url : server.urls) urls.call<void>("push", url);
    entry.set("urls", urls);
    if (!server.username.empty()) entry.set("username", server.username);
    if (!server.credential.empty()) entry.set("credential", server.credential);
    list.call<void>("push", entry);
  }
  return list;
}

// RTCRtpEncodingParameters[] for sendEncodings; null for one encoding (the browser's).
val encodingsToJs(const std::vector<SendEncoding>& encodings) {
  if (encodings.empty()) return val::null();
  val out = val::array();
  for (const auto& e : encodings) {
    val encoding = val::object();
    encoding.set("rid", e.rid);
    encoding.set("scaleResolutionDownBy", e.scaleResolutionDownBy);
    if (e.maxBitrate != 0) encoding.set("maxBitrate", e.maxBitrate);
    encoding.set("active", e.active);
    out.call<void>("push", encoding);
  }
  return out;
}

Result<SenderId, PeerError> senderResult(const val& result) {
  if (result["ok"].as<bool>()) return result["value"].as<std::string>();
  return fail(peerError(result["error"]));
}

}  // namespace

WebPeerConnection::WebPeerConnection(JsRuntime& runtime,
                                     const std::vector<protocol::IceServer>& iceServers)
    : runtime_(runtime), id_(runtime.newObjectId("pc")) {
  runtime_.listen(id_, [this](const std::string& event, const val& data) { onEvent(event, data); });
  created_ = runtime_.js().call<val>("pcCreate", id_, iceServersToJs(iceServers))["ok"].as<bool>();
  if (!created_) runtime_.unlisten(id_);
}

WebPeerConnection::~WebPeerConnection() {
  close();
}

void WebPeerConnection::onEvent(const std::string& event, const val& data) {
  if (closed_) return;
  if (event == "negotiationneeded") {
    triggerNegotiationNeeded();
  } else if (event == "icecandidate") {
    if (data.isNull() || data.isUndefined()) {
      triggerIceCandidate(std::nullopt);
      return;
    }
    IceCandidate candidate;
    candidate.candidate = stringField(data, "candidate");
    candidate.sdpMid = stringField(data, "sdpMid");
    const val index = data["sdpMLineIndex"];
    candidate.sdpMLineIndex = index.isNumber() ? index.as<int>() : -1;
    candidate.usernameFragment = stringField(data, "usernameFragment");
    // Chrome signals end-of-candidates per generation with an empty candidate string.
    if (candidate.candidate.empty())
      triggerIceCandidate(std::nullopt);
    else
      triggerIceCandidate(candidate);
  } else if (event == "connectionstate") {
    connection_ = fromName(data.as<std::string>(), kPeerConnectionStateNames);
    triggerConnectionStateChange(connection_);
  } else if (event == "iceconnectionstate") {
    ice_ = fromName(data.as<std::string>(), kIceConnectionStateNames);
    triggerIceConnectionStateChange(ice_);
  } else if (event == "signalingstate") {
    signaling_ = fromName(data.as<std::string>(), kSignalingStateNames);
    triggerSignalingStateChange(signaling_);
  } else if (event == "track") {
    RemoteTrack track;
    track.trackId = stringField(data, "trackId");
    track.kind = valueOf(kMediaKindNames, stringField(data, "kind")).value_or(MediaKind::Audio);
    track.streamId = stringField(data, "streamId");
    track.mid = stringField(data, "mid");
    triggerTrack(track);
  } else if (event == "trackremoved") {
    triggerTrackRemoved(data.as<std::string>());
  }
}

JsRuntime::ResultCallback WebPeerConnection::completion(Completion done) {
  return lifetime_.guard([done = std::move(done)](bool ok, const val& value) {
    done(ok ? std::nullopt : std::optional<PeerError>(peerError(value)));
  });
}

void WebPeerConnection::setLocalDescription(DescriptionCallback done) {
  if (closed_) return;
  runtime_.request(
      "pcSetLocalDescription", lifetime_.guard([done = std::move(done)](bool ok, const val& value) {
        if (!ok) return done(fail(peerError(value)));
        const auto type = sdpTypeFromString(stringField(value, "type"));
        done(SessionDescription{type.value_or(SdpType::Offer), stringField(value, "sdp")});
      }),
      id_);
}

void WebPeerConnection::rollback(Completion done) {
  if (closed_) return;
  runtime_.request("pcRollback", completion(std::move(done)), id_);
}

void WebPeerConnection::setRemoteDescription(const SessionDescription& description,
                                             Completion done) {
  if (closed_) return;
  runtime_.request("pcSetRemoteDescription", completion(std::move(done)), id_,
                   std::string(toString(description.type)), description.sdp);
}

void WebPeerConnection::addIceCandidate(const std::optional<IceCandidate>& candidate,
                                        Completion done) {
  if (closed_) return;
  val init = val::null();
  if (candidate) {
    init = val::object();
    init.set("candidate", candidate->candidate);
    if (!candidate->sdpMid.empty()) init.set("sdpMid", candidate->sdpMid);
    if (candidate->sdpMLineIndex >= 0) init.set("sdpMLineIndex", candidate->sdpMLineIndex);
    if (!candidate->usernameFragment.empty())
      init.set("usernameFragment", candidate->usernameFragment);
  }
  runtime_.request("pcAddIceCandidate", completion(std::move(done)), id_, init);
}

Result<SenderId, PeerError> WebPeerConnection::addTrack(
    const std::string& trackId, MediaKind, const std::string& streamId,
    const std::vector<SendEncoding>& encodings) {
  if (closed_) return fail(PeerError{"InvalidStateError", "closed"});
  return senderResult(
      runtime_.js().call<val>("pcAddTrack", id_, trackId, streamId, encodingsToJs(encodings)));
}

Result<SenderId, PeerError> WebPeerConnection::addTransceiver(
    MediaKind kind, Direction direction, const std::vector<SendEncoding>& encodings) {
  if (closed_) return fail(PeerError{"InvalidStateError", "closed"});
  return senderResult(runtime_.js().call<val>("pcAddTransceiver", id_, std::string(toString(kind)),
                                              std::string(toString(direction)),
                                              encodingsToJs(encodings)));
}

void WebPeerConnection::replaceTrack(const SenderId& sender, const std::string& trackId,
                                     Completion done) {
  if (closed_) return;
  runtime_.request("pcReplaceTrack", completion(std::move(done)), id_, sender, trackId);
}

void WebPeerConnection::removeTrack(const SenderId& sender) {
  if (!closed_) runtime_.js().call<void>("pcRemoveTrack", id_, sender);
}

void WebPeerConnection::setEncodingsActive(const SenderId& sender,
                                           const std::vector<SendEncoding>& encodings,
                                           Completion done) {
  if (closed_) return;
  runtime_.request("pcSetEncodingsActive", completion(std::move(done)), id_, sender,
                   encodingsToJs(encodings));
}

void WebPeerConnection::setIceServers(const std::vector<protocol::IceServer>& servers) {
  if (!closed_) runtime_.js().call<void>("pcSetIceServers", id_, iceServersToJs(servers));
}

void WebPeerConnection::restartIce() {
  if (!closed_) runtime_.js().call<void>("pcRestartIce", id_);
}

SignalingState WebPeerConnection::signalingState() const {
  return closed_ ? SignalingState::Closed : signaling_;
}

PeerConnectionState WebPeerConnection::connectionState() const {
  return closed_ ? PeerConnectionState::Closed : connection_;
}

IceConnectionState WebPeerConnection::iceConnectionState() const {
  return closed_ ? IceConnectionState::Closed : ice_;
}

void WebPeerConnection::close() {
  if (closed_) return;
  closed_ = true;
  lifetime_.end();
  runtime_.unlisten(id_);
  runtime_.js().call<void>("pcClose", id_);
}

PeerConnectionFactory webPeerConnectionFactory(JsRuntime& runtime) {
  return [&runtime](
             const std::vector<protocol::IceServer>& servers) -> std::unique_ptr<PeerConnection> {
    auto pc = std::make_unique<WebPeerConnection>(runtime, servers);
    if (!pc->ok()) return nullptr;
    return pc;
  };
}

}  // namespace vroom::bridge
