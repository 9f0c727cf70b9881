// RoomSession's side of moderation: the commands a moderator gives (remove, ask to mute, lock,
// end), what the server says was done (room-state, removed, mute-requested, room-closed
// "ended"), and the notices a person sees when it was done to them.
#include <algorithm>

#include "room_session.hpp"

namespace vroom {

bool RoomSession::moderates(const std::string& peerId) const {
  return !peerId.empty() &&
         std::find(moderators_.begin(), moderators_.end(), peerId) != moderators_.end();
}

CommandResult RoomSession::mayModerate(const std::string* peerId) const {
  if (!inRoom()) return vroom::fail(makeError(SessionErrorCode::NotConnected));
  if (!moderates(self_.id))
    return vroom::fail(
        SessionError{SessionErrorCode::NotAllowed, "Only a moderator of this room can do that."});
  if (peerId && !findMember(*peerId))
    return vroom::fail(
        SessionError{SessionErrorCode::NotAllowed, "That person is not in the room any more."});
  return std::monostate{};
}

CommandResult RoomSession::removePeer(const std::string& peerId, bool ban) {
  auto allowed = mayModerate(&peerId);
  if (allowed) send(protocol::Remove{peerId, ban});
  return allowed;
}

CommandResult RoomSession::requestMute(const std::string& peerId) {
  auto allowed = mayModerate(&peerId);
  if (allowed) send(protocol::RequestMute{peerId});
  return allowed;
}

CommandResult RoomSession::setRoomLocked(bool locked) {
  auto allowed = mayModerate(nullptr);
  if (allowed) send(protocol::Lock{locked});
  return allowed;
}

CommandResult RoomSession::endRoom() {
  auto allowed = mayModerate(nullptr);
  if (allowed) send(protocol::EndRoom{});
  return allowed;
}

void RoomSession::clearNotice() {
  if (notice_.code == SessionErrorCode::None) return;
  notice_ = {};
  changed();
}

void RoomSession::recordModeration(std::string action, std::string peer, std::string by,
                                   std::string byName, bool ban) {
  const Member* member = findMember(peer);
  std::string peerName = peer == self_.id ? self_.name : member ? member->info.name : "";
  moderation_ = ModerationEvent{moderation_.seq + 1,
                                std::move(action),
                                std::move(peer),
                                std::move(peerName),
                                std::move(by),
                                std::move(byName),
                                ban};
}

void RoomSession::handle(const protocol::RoomState& state) {
  if (!inRoom()) return;
  const bool lockChanged = state.locked != locked_;
  moderators_ = state.moderators;
  locked_ = state.locked;
  if (lockChanged && !state.by.empty()) {
    const Member* by = findMember(state.by);
    recordModeration(state.locked ? "lock" : "unlock", "", state.by,
                     state.by == self_.id ? self_.name
                     : by                 ? by->info.name
                                          : "",
                     false);
  }
  changed();
}

void RoomSession::handle(const protocol::Removed& removed) {
  if (removed.peer != self_.id) {
    if (removed.by == self_.id) {  // our own removal went through
      recordModeration("remove", removed.peer, removed.by, removed.byName, removed.ban);
      changed();
    }
    return;
  }
  // Out of the room by a moderator's hand: no rejoin, whatever recovery was under way.
  recordModeration("remove", removed.peer, removed.by, removed.byName, removed.ban);
  intent_.reset();
  releaseMedia();
  setError(moderationNotice(SessionErrorCode::Removed, removed.byName, removed.ban));
  finish(removed.ban ? "You were removed from the room and cannot rejoin while it lasts."
                     : "You were removed from the room.");
}

void RoomSession::handle(const protocol::MuteRequested& request) {
  if (!inRoom()) return;
  recordModeration("request-mute", request.peer, request.by, request.byName, false);
  if (request.peer == self_.id) {
    // The client mutes itself; nobody can unmute it but the person.
    setMicrophone(false);
    notice_ = moderationNotice(SessionErrorCode::MuteRequested, request.byName);
  }
  changed();
}

void RoomSession::endedByModerator(const protocol::RoomClosedMsg& closed) {
  recordModeration("end-room", "", closed.by, closed.byName, false);
  const bool broadcast = mode_ == protocol::Mode::Broadcast;
  if (closed.by != self_.id)
    setError(moderationNotice(SessionErrorCode::RoomEnded, closed.byName, false, broadcast));
  finish(closed.by == self_.id ? (broadcast ? "You ended the broadcast." : "You ended the meeting.")
         : broadcast           ? "The broadcast was ended by " + closed.byName + "."
                               : "The meeting was ended by " + closed.byName + ".");
}

}  // namespace vroom
