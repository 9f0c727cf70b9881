// RoomRegistry's durable state: what a graceful restart writes and the next process reads.
// Sessions come back away (no socket), so the usual resume rules apply to them.
#include <algorithm>

#include "room_password.hpp"
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

// An optional array of strings into `out`; false when present but not one.
bool readStrings(const json& object, const char* key, auto& out) {
  if (!object.contains(key)) return true;
  if (!object[key].is_array()) return false;
  for (const auto& item : object[key]) {
    if (!item.is_string()) return false;
    out.insert(out.end(), item.get<std::string>());
  }
  return true;
}

}  // namespace

json RoomRegistry::exportState(std::optional<std::string_view> onlyRoom) const {
  json rooms = json::object();
  json reservations = json::object();
  json sessions = json::array();
  const auto addRoom = [&](const std::string& id, const Room& room) {
    rooms[id] = {{"mode", std::string(protocol::toString(room.mode))},
                 {"audioOnly", room.audioOnly},
                 {"members", room.members},
                 {"moderators", room.moderators},
                 {"locked", room.locked},
                 {"bannedPeers", room.bannedPeers},
                 {"bannedIdentities", room.bannedIdentities}};
    // A password survives a restart as its salted hash, never in clear.
    if (room.password) rooms[id]["password"] = encodePasswordHash(*room.password);
  };
  const auto addReservation = [&](const std::string& id, const Reservation& reservation) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(reservation.until - now_);
    reservations[id] = {{"password", encodePasswordHash(reservation.password)},
                        {"live", reservation.live},
                        {"secondsLeft", std::max<std::int64_t>(0, left.count())}};
  };
  const auto addSession = [&](const Session& session) {
    json entry{{"peer", peerToJson(session.info)},
               {"resumeToken", session.resumeToken},
               {"room", session.room},
               {"identity", session.identity},
               {"sfu", session.sfu}};
    if (session.tokenRole) entry["tokenRole"] = std::string(toString(*session.tokenRole));
    sessions.push_back(std::move(entry));
  };
  if (onlyRoom) {  // looked up, not scanned: the cluster exports every room this way
    if (const auto room = rooms_.find(*onlyRoom); room != rooms_.end()) {
      addRoom(room->first, room->second);
      for (const auto& member : room->second.members)
        if (const auto session = sessions_.find(member); session != sessions_.end())
          addSession(session->second);
    }
    if (const auto r = reservations_.find(*onlyRoom); r != reservations_.end())
      addReservation(r->first, r->second);
  } else {
    for (const auto& [id, room] : rooms_) addRoom(id, room);
    for (const auto& [id, reservation] : reservations_) addReservation(id, reservation);
    for (const auto& [id, session] : sessions_) addSession(session);
  }
  return {{"version", 1}, {"rooms", rooms}, {"sessions", sessions}, {"reservations", reservations}};
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
    if (r.contains("locked") && !isBool(r, "locked")) return std::nullopt;
    room.locked = r.contains("locked") && r["locked"].get<bool>();
    if (!readStrings(r, "members", room.members) ||
        !readStrings(r, "moderators", room.moderators) ||
        !readStrings(r, "bannedPeers", room.bannedPeers) ||
        !readStrings(r, "bannedIdentities", room.bannedIdentities))
      return std::nullopt;
    if (r.contains("password")) {
      room.password = isString(r, "password") ? decodePasswordHash(r["password"].get<std::string>())
                                              : std::nullopt;
      if (!room.password) return std::nullopt;  // never restore a protected room open
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
    if (s.contains("identity") && !isString(s, "identity")) return std::nullopt;
    if (s.contains("identity")) session.identity = s["identity"].get<std::string>();
    // Written since the video server came: an older state's pages count as mesh-only ones.
    if (s.contains("sfu") && !isBool(s, "sfu")) return std::nullopt;
    session.sfu = s.contains("sfu") && s["sfu"].get<bool>();
    if (isString(s, "tokenRole")) {
      session.tokenRole = tokenRoleFromString(s["tokenRole"].get<std::string>());
      if (!session.tokenRole) return std::nullopt;
    }
    session.conn = 0;  // away: its resume window starts now
    session.awaySince = now;
    if (session.info.id.empty() || session.resumeToken.empty()) return std::nullopt;
    if (!session.room.empty() && !rooms.count(session.room)) return std::nullopt;
    sessions.emplace(session.info.id, std::move(session));
  }
  std::map<std::string, Reservation, std::less<>> reservations;
  if (state.contains("reservations")) {
    if (!state["reservations"].is_object()) return std::nullopt;
    for (const auto& [id, r] : state["reservations"].items()) {
      const auto password = isString(r, "password")
                                ? decodePasswordHash(r["password"].get<std::string>())
                                : std::nullopt;
      if (!password || !isBool(r, "live") || !r.contains("secondsLeft") ||
          !r["secondsLeft"].is_number_integer())
        return std::nullopt;
      const auto left =
          std::clamp<std::int64_t>(r["secondsLeft"].get<std::int64_t>(), 0, 365LL * 24 * 3600);
      reservations.emplace(
          id, Reservation{*password, r["live"].get<bool>(), now + std::chrono::seconds(left)});
    }
  }
  // A peer this registry already holds keeps its own state: never overwritten, and no
  // imported room lists it (a stale copy would leave a member whose session is elsewhere).
  std::erase_if(sessions, [&](const auto& entry) { return sessions_.count(entry.first) != 0; });
  // Rooms list only peers that exist; a room left empty is not restored.
  for (auto it = rooms.begin(); it != rooms.end();) {
    auto& members = it->second.members;
    const auto gone = [&](const std::string& id) { return !sessions.count(id); };
    std::erase_if(members, gone);
    std::erase_if(it->second.moderators, gone);
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
    Session& restoredSession = sessions_.emplace(id, std::move(session)).first->second;
    tokens_[restoredSession.resumeToken] = &restoredSession;
  }
  for (auto& [id, room] : rooms) {
    if (rooms_.count(id)) continue;
    const Room& restoredRoom = rooms_.emplace(id, std::move(room)).first->second;
    // The video server's side learns the restored rooms as if their members had just entered
    // (each away until it resumes): a room that used it moves there again.
    if (observer_)
      for (const auto& member : restoredRoom.members) {
        const Session& session = sessions_.at(member);
        observer_->entered(id, session.info, restoredRoom.mode, session.sfu);
      }
  }
  for (auto& [id, reservation] : reservations)
    if (!reservations_.count(id)) reservations_.emplace(id, std::move(reservation));
  return restored;
}

}  // namespace vroom::server
