// Field names here are the JS API's contract (see www/vroom.d.ts): camelCase, enums as the
// protocol's lower-case words.
#include "snapshot_js.hpp"

namespace vroom::bridge {
namespace {

using emscripten::val;

val mediaToJs(const protocol::MediaState& media) {
  val out = val::object();
  out.set("audio", media.audio);
  out.set("video", media.video);
  out.set("screen", media.screen);
  return out;
}

}  // namespace

val snapshotToJs(const SessionSnapshot& s) {
  val out = val::object();
  out.set("state", std::string(toString(s.state)));
  out.set("reason", s.reason);
  out.set("recovery", std::string(toString(s.recovery)));
  out.set("reconnectAttempt", s.reconnectAttempt);
  out.set("room", s.room);
  out.set("mode", std::string(protocol::toString(s.mode)));
  out.set("audioOnly", s.audioOnly);

  val self = val::object();
  self.set("id", s.self.id);
  self.set("name", s.self.name);
  self.set("role", std::string(protocol::toString(s.self.role)));
  self.set("moderator", s.self.moderator);
  out.set("self", self);
  out.set("locked", s.locked);

  val members = val::array();
  for (const MemberSnapshot& m : s.members) {
    val member = val::object();
    member.set("id", m.id);
    member.set("name", m.name);
    member.set("role", std::string(protocol::toString(m.role)));
    member.set("moderator", m.moderator);
    member.set("connection", std::string(toString(m.connection)));
    member.set("media", mediaToJs(m.media));
    member.set("speaking", m.speaking);
    member.set("cameraStreamId", m.cameraStreamId);
    member.set("screenStreamId", m.screenStreamId);
    member.set("audioStreamId", m.audioStreamId);
    members.call<void>("push", member);
  }
  out.set("members", members);

  val chat = val::array();
  for (const ChatEntry& c : s.chat) {
    val entry = val::object();
    entry.set("from", c.from);
    entry.set("name", c.name);
    entry.set("text", c.text);
    entry.set("ts", static_cast<double>(c.ts));
    entry.set("mine", c.mine);
    chat.call<void>("push", entry);
  }
  out.set("chat", chat);

  val local = val::object();
  local.set("microphone", s.local.micOn);
  local.set("camera", s.local.camOn);
  local.set("screenSharing", s.local.sharing);
  local.set("acquiring", s.local.acquiring);
  local.set("hasAudio", s.local.hasAudio);
  local.set("hasVideo", s.local.hasVideo);
  local.set("streamId", s.local.streamId);
  local.set("screenStreamId", s.local.screenStreamId);
  local.set("audioInputId", s.local.audioInputId);
  local.set("videoInputId", s.local.videoInputId);
  local.set("audioOutputId", s.local.audioOutputId);
  val devices = val::array();
  for (const DeviceInfo& d : s.local.devices) {
    val device = val::object();
    device.set("deviceId", d.deviceId);
    device.set("kind", std::string(d.kind == DeviceKind::AudioInput   ? "audioinput"
                                   : d.kind == DeviceKind::VideoInput ? "videoinput"
                                                                      : "audiooutput"));
    device.set("label", d.label);
    devices.call<void>("push", device);
  }
  local.set("devices", devices);
  out.set("local", local);

  out.set("errorCode", s.error.code == SessionErrorCode::None
                           ? std::string()
                           : std::string(toString(s.error.code)));
  out.set("error", s.error.message);
  out.set("noticeCode", s.notice.code == SessionErrorCode::None
                            ? std::string()
                            : std::string(toString(s.notice.code)));
  out.set("notice", s.notice.message);
  val moderation = val::object();
  moderation.set("seq", static_cast<double>(s.moderation.seq));
  moderation.set("action", s.moderation.action);
  moderation.set("peer", s.moderation.peer);
  moderation.set("peerName", s.moderation.peerName);
  moderation.set("by", s.moderation.by);
  moderation.set("byName", s.moderation.byName);
  moderation.set("ban", s.moderation.ban);
  out.set("moderation", moderation);
  out.set("revision", static_cast<double>(s.revision));
  return out;
}

val statsToJs(const PeerStats& s) {
  val out = val::object();
  out.set("bytesSent", static_cast<double>(s.bytesSent));
  out.set("bytesReceived", static_cast<double>(s.bytesReceived));
  out.set("packetsSent", static_cast<double>(s.packetsSent));
  out.set("packetsReceived", static_cast<double>(s.packetsReceived));
  out.set("packetsLost", static_cast<double>(s.packetsLost));
  out.set("framesEncoded", static_cast<double>(s.framesEncoded));
  out.set("framesDecoded", static_cast<double>(s.framesDecoded));
  out.set("roundTripTimeMs", s.roundTripTimeMs);
  out.set("jitterMs", s.jitterMs);
  out.set("framesPerSecond", s.framesPerSecond);
  out.set("frameWidth", s.frameWidth);
  out.set("frameHeight", s.frameHeight);
  out.set("audioCodec", s.audioCodec);
  out.set("videoCodec", s.videoCodec);
  out.set("localCandidateType", s.localCandidateType);
  out.set("remoteCandidateType", s.remoteCandidateType);
  out.set("path", std::string(mediaPath(s)));
  out.set("audioLevel", s.audioLevel);
  return out;
}

}  // namespace vroom::bridge
