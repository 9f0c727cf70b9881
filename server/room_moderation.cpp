// What a room's moderators may do (remove, ask to mute, lock, end) and how the role is handed
// on; everyone else is refused with not_allowed. docs/protocol.md, "Moderation".
#include <algorithm>

#include "room_registry.hpp"

namespace vroom::server {

using namespace protocol;

bool RoomRegistry::isModerator(const Room& room, const std::string& peerId) const {
  return std::find(room.moderators.begin(), room.moderators.end(), peerId) != room.moderators.end();
}

bool RoomRegistry::moderatorOnly(Connection& conn, Session& self, const Room& room,
                                 std::string_view type) {
  if (isModerator(room, self.info.id)) return true;
  sendError(conn, ErrorCode::NotAllowed, "only a moderator of this room may do that",
            std::string(type));
  return false;
}

RoomRegistry::Session* RoomRegistry::targetOf(Connection& conn, Session& self,
                                              const std::string& peerId, std::string_view type) {
  const auto it = sessions_.find(peerId);
  if (it == sessions_.end() || it->second.room != self.room || peerId == self.info.id) {
    sendError(conn, ErrorCode::UnknownPeer, "no such peer in this room", std::string(type));
    return nullptr;
  }
  return &it->second;
}

void RoomRegistry::onRemove(Connection& conn, Session& self, const Remove& remove) {
  Room& room = rooms_.find(self.room)->second;
  if (!moderatorOnly(conn, self, room, "remove")) return;
  Session* target = targetOf(conn, self, remove.peer, "remove");
  if (!target) return;
  if (remove.ban) {
    // For the room's lifetime: its session, and whoever it is beyond this session (the
    // token's subject or name; without tokens its address), so a rejoin is refused too.
    room.bannedPeers.insert(target->info.id);
    if (!target->identity.empty()) room.bannedIdentities.insert(target->identity);
  }
  const Frame frame =
      makeFrame(encode(Removed{target->info.id, self.info.id, self.info.name, remove.ban}));
  leaveRoom(*target);  // the others see it leave; a moderator removed hands the role on
  deliverFrame(*target, frame, true);  // held for it if it is away: it learns on resume
  deliverFrame(self, frame, false);
}

void RoomRegistry::onRequestMute(Connection& conn, Session& self, const RequestMute& request) {
  const Room& room = rooms_.find(self.room)->second;
  if (!moderatorOnly(conn, self, room, "request-mute")) return;
  Session* target = targetOf(conn, self, request.peer, "request-mute");
  if (!target) return;
  if (target->info.role == Role::Viewer) {
    sendError(conn, ErrorCode::NotAllowed, "viewers have no microphone to mute", "request-mute");
    return;
  }
  // A request, not a switch: the asked client turns its own microphone off. No message can
  // turn anyone's microphone on.
  const Frame frame =
      makeFrame(encode(MuteRequested{target->info.id, self.info.id, self.info.name}));
  deliverFrame(*target, frame, false);
  deliverFrame(self, frame, false);
}

void RoomRegistry::onLock(Connection& conn, Session& self, const Lock& lock) {
  Room& room = rooms_.find(self.room)->second;
  if (!moderatorOnly(conn, self, room, "lock")) return;
  room.locked = lock.locked;
  sendRoomState(room, self.info.id);
}

void RoomRegistry::onEndRoom(Connection& conn, Session& self) {
  const auto it = rooms_.find(self.room);
  if (!moderatorOnly(conn, self, it->second, "end-room")) return;
  const Frame frame = makeFrame(encode(RoomClosedMsg{"ended", self.info.id, self.info.name}));
  for (const auto& memberId : it->second.members) {
    Session& member = sessions_.at(memberId);
    member.room.clear();
    deliverFrame(member, frame, true);
  }
  if (it->second.mode == Mode::Broadcast) broadcastEnded(it->first);
  if (observer_) observer_->closed(it->first);
  rooms_.erase(it);
}

void RoomRegistry::moderatorLeft(Room& room) {
  // A broadcast has its host, who never leaves it open; a conference keeps one moderator.
  if (room.mode != Mode::Conference || !room.moderators.empty() || room.members.empty()) return;
  // The longest-present member with a socket; if everyone is away, the longest-present.
  const auto present = std::find_if(room.members.begin(), room.members.end(),
                                    [&](const std::string& id) { return sessions_.at(id).conn; });
  room.moderators.push_back(present != room.members.end() ? *present : room.members.front());
  sendRoomState(room, "");
}

void RoomRegistry::sendRoomState(const Room& room, const std::string& by,
                                 const std::string& except) {
  const Frame frame = makeFrame(encode(RoomState{room.moderators, room.locked, by}));
  for (const auto& memberId : room.members)
    if (memberId != except) deliverFrame(sessions_.at(memberId), frame, false);
}

}  // namespace vroom::server
