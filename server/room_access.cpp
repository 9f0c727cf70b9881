// Who may enter a room, and as whom: join tokens (when the server has a token secret), the
// names it assigns, bans, the lock, room passwords and broadcast reservations. The rules of
// docs/protocol.md, "Join tokens" and "Passwords"; RoomRegistry calls them from create/join.
#include <algorithm>

#include "name_policy.hpp"
#include "room_registry.hpp"

namespace vroom::server {

using namespace protocol;

namespace {

std::int64_t unixSeconds(TimePoint now, std::int64_t epochOffsetMs) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return (ms + epochOffsetMs) / 1000;
}

ErrorCode codeFor(TokenError error) {
  return error == TokenError::Expired || error == TokenError::NotYetValid ? ErrorCode::TokenExpired
                                                                          : ErrorCode::TokenInvalid;
}

bool creates(EntryAction action) {
  return action == EntryAction::CreateConference || action == EntryAction::CreateBroadcast;
}

// What a token's role lets its holder do; nullptr when allowed, else why not.
const char* refusalFor(TokenRole role, EntryAction action) {
  using Action = EntryAction;
  switch (action) {
    case Action::WatchBroadcast:
      return nullptr;  // every role may watch
    case Action::CreateBroadcast:
      return role == TokenRole::Host || role == TokenRole::Moderator
                 ? nullptr
                 : "only a host or moderator token may go live with this broadcast";
    case Action::CreateConference:
    case Action::JoinConference:
      return role == TokenRole::Viewer ? "a viewer token only lets its holder watch a broadcast"
                                       : nullptr;
  }
  return nullptr;
}

}  // namespace

std::optional<RoomRegistry::Grant> RoomRegistry::grantFor(Connection& conn,
                                                          const EntryRequest& request,
                                                          TimePoint now) {
  const std::string type(request.type);
  Grant grant;
  std::string requestedName = request.name;
  if (!config_.tokenSecret.empty()) {
    if (request.token.empty()) {
      sendError(conn, ErrorCode::TokenRequired, "this server admits only holders of a join token",
                type);
      return std::nullopt;
    }
    auto verified = verifyJoinToken(request.token, config_.tokenSecret,
                                    unixSeconds(now, config_.epochOffsetMs));
    if (!verified) {
      sendError(conn, codeFor(verified.error()), std::string(describe(verified.error())), type);
      return std::nullopt;
    }
    const JoinClaims& claims = verified.value();
    if (claims.room != request.room) {
      sendError(conn, ErrorCode::TokenWrongRoom,
                "the join token opens room '" + claims.room.substr(0, kMaxRoomIdChars) +
                    "', not '" + request.room + "'",
                type);
      return std::nullopt;
    }
    const auto tokenName = normalizeName(claims.name);
    if (!tokenName) {
      sendError(conn, ErrorCode::TokenInvalid, "the join token's name is not a usable name", type);
      return std::nullopt;
    }
    requestedName = *tokenName;
    grant.tokenRole = claims.role;
    grant.identity = claims.subject.empty() ? "name:" + *tokenName : "sub:" + claims.subject;
  } else if (!conn.address.empty()) {
    grant.identity = "address:" + conn.address;
  }
  auto name = canonicalName(requestedName);
  if (!name) {
    sendError(conn, ErrorCode::InvalidName, "a name needs at least one visible character", type);
    return std::nullopt;
  }
  grant.name = std::move(*name);
  return grant;
}

bool RoomRegistry::mayEnter(Connection& conn, Session& self, const Grant& grant,
                            const EntryRequest& request, EntryAction action, const Room* room,
                            TimePoint now) {
  const std::string type(request.type);
  if (grant.tokenRole) {
    if (const char* why = refusalFor(*grant.tokenRole, action)) {
      sendError(conn, ErrorCode::NotAllowed, why, type);
      return false;
    }
  }
  if (room) {
    if (room->bannedPeers.count(self.info.id) ||
        (!grant.identity.empty() && room->bannedIdentities.count(grant.identity))) {
      sendError(conn, ErrorCode::Banned,
                "a moderator removed you from '" + request.room + "' for as long as it lasts",
                type);
      return false;
    }
    if (room->locked && grant.tokenRole != TokenRole::Moderator) {
      sendError(conn, ErrorCode::RoomLocked, "room '" + request.room + "' is locked", type);
      return false;
    }
  }
  // Passwords are for servers without join tokens: a conference's, to enter it; a reserved
  // broadcast id's, to create anything under it.
  const PasswordHash* needed = nullptr;
  if (config_.tokenSecret.empty()) {
    if (room && action == EntryAction::JoinConference && room->password) needed = &*room->password;
    const auto reserved = reservations_.find(request.room);
    if (creates(action) && reserved != reservations_.end()) needed = &reserved->second.password;
  }
  if (needed) {
    if (request.password.empty()) {
      sendError(conn, ErrorCode::PasswordRequired, "'" + request.room + "' needs its password",
                type);
      return false;
    }
    if (!wrongPasswords_.mayTry(conn.address, now)) {
      sendError(conn, ErrorCode::TooManyAttempts,
                "too many wrong passwords from your address: wait a minute", type);
      return false;
    }
    if (!verifyPassword(*needed, request.password)) {
      wrongPasswords_.failed(conn.address, now);
      sendError(conn, ErrorCode::WrongPassword, "wrong password for '" + request.room + "'", type);
      return false;
    }
  }
  self.tokenRole = grant.tokenRole;
  self.identity = grant.identity;
  return true;
}

void RoomRegistry::claimRoom(const std::string& roomId, Room& room, const EntryRequest& request,
                             EntryAction action) {
  if (!config_.tokenSecret.empty()) return;
  if (action == EntryAction::CreateBroadcast) {
    auto reserved = reservations_.find(roomId);
    if (reserved == reservations_.end() && !request.password.empty())
      reserved = reservations_.emplace(roomId, Reservation{hashPassword(request.password)}).first;
    if (reserved != reservations_.end()) reserved->second.live = true;
    return;
  }
  // A conference: its creator's password is everyone's way in, for as long as it lasts.
  if (!request.password.empty()) room.password = hashPassword(request.password);
}

void RoomRegistry::broadcastEnded(const std::string& roomId) {
  const auto reserved = reservations_.find(roomId);
  if (reserved == reservations_.end()) return;
  reserved->second.live = false;
  reserved->second.until = now_ + config_.reservationTtl;
}

void RoomRegistry::expireAccess(TimePoint now) {
  std::erase_if(reservations_,
                [&](const auto& entry) { return !entry.second.live && now >= entry.second.until; });
  wrongPasswords_.prune(now);
}

}  // namespace vroom::server
