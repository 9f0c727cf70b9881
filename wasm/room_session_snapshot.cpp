// Building the plain SessionSnapshot from a RoomSession's state, and the names of the
// snapshot's enums (for logs and the JS API).
#include "room_session.hpp"

namespace vroom {

std::string_view toString(SessionState state) {
  switch (state) {
    case SessionState::Idle:
      return "idle";
    case SessionState::Connecting:
      return "connecting";
    case SessionState::Hello:
      return "hello";
    case SessionState::Joining:
      return "joining";
    case SessionState::Waiting:
      return "waiting";
    case SessionState::Joined:
      return "joined";
    case SessionState::Reconnecting:
      return "reconnecting";
    case SessionState::Left:
      return "left";
    case SessionState::Failed:
      return "failed";
  }
  return "idle";
}

std::string_view toString(Recovery recovery) {
  switch (recovery) {
    case Recovery::None:
      return "none";
    case Recovery::SignalingReconnect:
      return "signaling_reconnect";
    case Recovery::IceRestart:
      return "ice_restart";
    case Recovery::FullRejoin:
      return "full_rejoin";
  }
  return "none";
}

SessionSnapshot RoomSession::snapshot() const {
  SessionSnapshot out;
  out.state = state_;
  out.reason = reason_;
  out.recovery = recovery_;
  out.reconnectAttempt = state_ == SessionState::Reconnecting ? attempt_ : 0;
  out.room = room_;
  out.mode = mode_;
  out.audioOnly = audioOnly_;
  out.self = SelfSnapshot{self_.id, self_.name, self_.role, moderates(self_.id)};
  for (const auto& member : members_) {
    out.members.push_back(memberSnapshot(member));
    out.members.back().moderator = moderates(member.info.id);
  }
  out.locked = locked_;
  out.notice = notice_;
  out.moderation = moderation_;
  out.chat = chat_;
  auto& local = out.local;
  local.micOn = micOn_;
  local.camOn = camOn_;
  local.sharing = screenMode_ != ScreenMode::None;
  local.acquiring = acquiring_ > 0;
  local.hasAudio = !micTrack_.empty();
  local.hasVideo = !camTrack_.empty();
  local.speaking = selfSpeaking_;
  local.streamId = camStream_.empty() ? micStream_ : camStream_;
  local.screenStreamId = screen_.streamId;
  local.audioInputId = audioInputId_;
  local.videoInputId = videoInputId_;
  local.audioOutputId = audioOutputId_;
  local.devices = devices_;
  out.error = error_;
  out.revision = revision_;
  return out;
}

}  // namespace vroom
