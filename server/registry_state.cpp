// RoomRegistry's durable state: what a graceful restart writes and the next process reads.
// Sessions come back away (no socket), so the usual resume rules apply to them.
#include <algorithm>

#include "room_registry.hpp"

namespace vroom::server {
namespace {

using nlohmann::json;

json peerToJson(const protocol::PeerInfo& info) {
  return {
      {"id", info.id},
      {"name", info.name},
      {"role", std::string(protocol::toString(info.role))},
      {"media",
       {{"audio", info.media.audio}, {"video", info.media.video}, {"screen", info.media.screen}}}};
}

bool isString(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string();
}

bool isBool(const json& object, const char* key) {
  return object.contains(key) && object[key].is_boolean();
}

}  // namespace

json RoomRegistry::exportState() const {
  json rooms = json::object();
  for (const auto& [id, room] : rooms_) {
    rooms[id] = {{"mode", std::string(protocol::toString(room.mode))},
                 {"audioOnly", room.audioOnly},
                 {"members", room.members}};
  }
  json sessions = json::array();
  for (const auto& [id, session] : sessions_) {
    sessions.push_back({{"peer", peerToJson(session.info)},
                        {"resumeToken", session.resumeToken},
                        {"room", session.room}});
  }
  return {{"version", 1}, {"rooms", rooms}, {"sessions", sessions}};
}

std::optional<std::size_t> RoomRegistry::importState(const json& state, TimePoint now) {
  if (!state.is_object() || state.value("version", 0) != 1 || !state.contains("rooms") ||
      !state["rooms"].is_object() || !state.contains("sessions") || !state["sessions"].is_array())
    return std::nullopt;

  // Build everything aside first: malformed state changes nothing.
  std::map<std::string, Room, std::less<>> rooms;
  for (const auto& [id, r] : state["rooms"].items()) {
    const auto mode =
        isString(r, "mode") ? protocol::modeFromString(r["mode"].get<std::string>()) : std::nullopt;
    if (!protocol::isValidRoomId(id) || !mode || !isBool(r, "audioOnly") ||
        !r.contains("members") || !r["members"].is_array())
      return std::nullopt;
    Room room;
    room.mode = *mode;
    room.audioOnly = r["audioOnly"].get<bool>();
    for (const auto& member : r["members"]) {
      if (!member.is_string()) return std::nullopt;
      room.members.push_back(member.get<std::string>());
    }
    rooms.emplace(id, std::move(room));
  }
  std::unordered_map<std::string, Session> sessions;
  for (const auto& s : state["sessions"]) {
    if (!s.is_object() || !s.contains("peer") || !s["peer"].is_object() ||
        !isString(s, "resumeToken") || !isString(s, "room"))
      return std::nullopt;
    const json& p = s["peer"];
    const auto role =
        isString(p, "role") ? protocol::roleFromString(p["role"].get<std::string>()) : std::nullopt;
    if (!isString(p, "id") || !isString(p, "name") || !role || !p.contains("media") ||
        !p["media"].is_object())
      return std::nullopt;
    Session session;
    session.info.id = p["id"].get<std::string>();
    session.info.name = p["name"].get<std::string>();
    session.info.role = *role;
    session.info.media.audio = p["media"].value("audio", true);
    session.info.media.video = p["media"].value("video", true);
    session.info.media.screen = p["media"].value("screen", false);
    session.resumeToken = s["resumeToken"].get<std::string>();
    session.room = s["room"].get<std::string>();
    session.conn = 0;  // away: its resume window starts now
    session.awaySince = now;
    if (session.info.id.empty() || session.resumeToken.empty()) return std::nullopt;
    if (!session.room.empty() && !rooms.count(session.room)) return std::nullopt;
    sessions.emplace(session.info.id, std::move(session));
  }
  // Rooms list only peers that exist; a room left empty is not restored.
  for (auto it = rooms.begin(); it != rooms.end();) {
    auto& members = it->second.members;
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [&](const std::string& id) { return !sessions.count(id); }),
                  members.end());
    it = members.empty() ? rooms.erase(it) : std::next(it);
  }

  // A session that claims a room which does not list it is restored outside any room.
  for (auto& [id, session] : sessions) {
    const auto room = rooms.find(session.room);
    if (room == rooms.end() || std::find(room->second.members.begin(), room->second.members.end(),
                                         id) == room->second.members.end())
      session.room.clear();
  }

  const std::size_t restored = sessions.size();
  for (auto& [id, session] : sessions) {
    if (sessions_.count(id)) continue;  // never overwrite a live peer
    tokens_[session.resumeToken] = id;
    sessions_.emplace(id, std::move(session));
  }
  for (auto& [id, room] : rooms)
    if (!rooms_.count(id)) rooms_.emplace(id, std::move(room));
  return restored;
}

}  // namespace vroom::server
