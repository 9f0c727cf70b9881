// Building the plain SessionSnapshot from a RoomSession's state.
#include "room_session.hpp"

namespace vroom {

SessionSnapshot RoomSession::snapshot() const {
  SessionSnapshot out;
  out.state = lifecycle_.state();
  out.reason = reason_;
  out.recovery = recovery();
  out.reconnectAttempt = out.state == SessionState::Reconnecting ? attempt_ : 0;
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
  local_.fill(local);
  local.speaking = selfSpeaking_;
  out.error = error_;
  out.revision = revision_;
  return out;
}

}  // namespace vroom
