// Wire names, text helpers and the encoder of the signaling protocol (docs/protocol.md).
// The decoder lives in protocol_decode.cpp; both sides of the wire link this one copy.
#include "protocol.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

namespace vroom::protocol {

namespace {

using json = nlohmann::json;

constexpr EnumName<ErrorCode> kErrorNames[] = {
    {ErrorCode::InvalidJson, "invalid_json"},
    {ErrorCode::InvalidMessage, "invalid_message"},
    {ErrorCode::MessageTooBig, "message_too_big"},
    {ErrorCode::HelloRequired, "hello_required"},
    {ErrorCode::UnsupportedVersion, "unsupported_version"},
    {ErrorCode::RoomExists, "room_exists"},
    {ErrorCode::RoomNotFound, "room_not_found"},
    {ErrorCode::RoomFull, "room_full"},
    {ErrorCode::RoomClosed, "room_closed"},
    {ErrorCode::NotInRoom, "not_in_room"},
    {ErrorCode::AlreadyInRoom, "already_in_room"},
    {ErrorCode::NotAllowed, "not_allowed"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::UnknownPeer, "unknown_peer"},
    {ErrorCode::InvalidRoomId, "invalid_room_id"},
    {ErrorCode::InvalidName, "invalid_name"},
    {ErrorCode::TooLong, "too_long"},
    {ErrorCode::TokenRequired, "token_required"},
    {ErrorCode::TokenInvalid, "token_invalid"},
    {ErrorCode::TokenExpired, "token_expired"},
    {ErrorCode::TokenWrongRoom, "token_wrong_room"},
    {ErrorCode::PasswordRequired, "password_required"},
    {ErrorCode::WrongPassword, "wrong_password"},
    {ErrorCode::TooManyAttempts, "too_many_attempts"},
    {ErrorCode::RoomLocked, "room_locked"},
    {ErrorCode::Banned, "banned"},
    {ErrorCode::SfuUnavailable, "sfu_unavailable"},
};
static_assert(std::size(kErrorNames) == static_cast<std::size_t>(kLastErrorCode) + 1);

// Decodes one code point at `i`; returns its length in bytes, or 0 when the bytes there are
// not strict UTF-8 (overlong forms, surrogates and values past U+10FFFF are all refused).
std::size_t decodeCodePoint(std::string_view s, std::size_t i, char32_t& out) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  out = cp;
  return len;
}

bool isControl(char32_t cp) {
  // C0, DEL and C1 controls, plus the line/paragraph separators that break one-line labels.
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Bidi embeddings, overrides, isolates and marks: they reorder the text around them, so a
// name or a chat line can show something other than what it says.
bool isBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Characters that draw nothing: with them one name can pose as another ("Bob" and "B<ZWSP>ob").
// The bidi controls, zero-width space/joiners, the word joiner and invisible operators, the
// deprecated format characters, the soft hyphen, the combining grapheme joiner, Mongolian
// variation selectors, the BOM and the tag characters.
bool isInvisibleFormat(char32_t cp) {
  return isBidiControl(cp) || cp == 0x00AD || cp == 0x034F || (cp >= 0x180B && cp <= 0x180F) ||
         (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE007F);
}

bool isTrimmable(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C ||
         cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF;
}

json toJson(const MediaState& media) {
  return json{{"audio", media.audio}, {"video", media.video}, {"screen", media.screen}};
}

json toJson(const PeerInfo& peer) {
  return json{{"id", peer.id},
              {"name", peer.name},
              {"role", toString(peer.role)},
              {"media", toJson(peer.media)}};
}

json toJson(const Limits& limits) {
  return json{{"maxMessageBytes", limits.maxMessageBytes},
              {"maxChatChars", limits.maxChatChars},
              {"maxRoomSize", limits.maxRoomSize},
              {"messagesPerSecond", limits.messagesPerSecond},
              {"bytesPerSecond", limits.bytesPerSecond},
              {"resumeWindowSeconds", limits.resumeWindowSeconds}};
}

json toJson(const IceServer& server) {
  json out{{"urls", server.urls}};
  if (!server.username.empty()) out["username"] = server.username;
  if (!server.credential.empty()) out["credential"] = server.credential;
  return out;
}

json peersToJson(const std::vector<PeerInfo>& peers) {
  json out = json::array();
  for (const auto& peer : peers) out.push_back(toJson(peer));
  return out;
}

// One overload per message: the fields besides "type".
void fill(json& j, const Hello& m) {
  j["version"] = m.version;
  if (!m.resumeToken.empty()) j["resumeToken"] = m.resumeToken;
  if (m.sfu) j["sfu"] = true;
}
void fillCredentials(json& j, const std::string& token, const std::string& password) {
  if (!token.empty()) j["token"] = token;
  if (!password.empty()) j["password"] = password;
}
void fill(json& j, const Create& m) {
  j["room"] = m.room;
  j["name"] = m.name;
  j["mode"] = toString(m.mode);
  j["audioOnly"] = m.audioOnly;
  fillCredentials(j, m.token, m.password);
}
void fill(json& j, const Join& m) {
  j["room"] = m.room;
  j["name"] = m.name;
  if (m.role) j["role"] = toString(*m.role);
  if (m.wait) j["wait"] = true;
  fillCredentials(j, m.token, m.password);
}
void fill(json& j, const Remove& m) {
  j["peer"] = m.peer;
  if (m.ban) j["ban"] = true;
}
void fill(json& j, const RequestMute& m) {
  j["peer"] = m.peer;
}
void fill(json& j, const Lock& m) {
  j["locked"] = m.locked;
}
void fill(json&, const EndRoom&) {}
void fill(json& j, const RoomState& m) {
  j["moderators"] = m.moderators;
  j["locked"] = m.locked;
  if (!m.by.empty()) j["by"] = m.by;
}
void fill(json& j, const Removed& m) {
  j["peer"] = m.peer;
  j["by"] = m.by;
  j["byName"] = m.byName;
  j["ban"] = m.ban;
}
void fill(json& j, const MuteRequested& m) {
  j["peer"] = m.peer;
  j["by"] = m.by;
  j["byName"] = m.byName;
}
void fill(json&, const Leave&) {}
void fill(json& j, const SetMedia& m) {
  j["media"] = toJson(m.media);
}
void fill(json& j, const Welcome& m) {
  j["version"] = m.version;
  j["resumeToken"] = m.resumeToken;
  j["resumed"] = m.resumed;
  j["limits"] = toJson(m.limits);
  j["iceServers"] = json::array();
  for (const auto& server : m.iceServers) j["iceServers"].push_back(toJson(server));
}
void fill(json& j, const IceServersMsg& m) {
  j["iceServers"] = json::array();
  for (const auto& server : m.iceServers) j["iceServers"].push_back(toJson(server));
}
void fill(json& j, const Waiting& m) {
  j["room"] = m.room;
}
void fill(json& j, const Joined& m) {
  j["self"] = toJson(m.self);
  j["room"] = m.room;
  j["mode"] = toString(m.mode);
  j["audioOnly"] = m.audioOnly;
  j["members"] = peersToJson(m.members);
  j["resumed"] = m.resumed;
  j["moderators"] = m.moderators;
  j["locked"] = m.locked;
}
void fill(json& j, const PeerJoined& m) {
  j["peer"] = toJson(m.peer);
}
void fill(json& j, const PeerLeft& m) {
  j["id"] = m.id;
}
void fill(json& j, const PeerMedia& m) {
  j["id"] = m.id;
  j["media"] = toJson(m.media);
}
void fill(json&, const Left&) {}
void fill(json& j, const RoomClosedMsg& m) {
  j["reason"] = m.reason;
  if (!m.by.empty()) {
    j["by"] = m.by;
    j["byName"] = m.byName;
  }
}
void fill(json& j, const ErrorMsg& m) {
  j["code"] = toString(m.code);
  j["message"] = m.message;
  if (!m.type.empty()) j["offendingType"] = m.type;
}
void fill(json& j, const Signal& m) {
  if (!m.to.empty()) j["to"] = m.to;
  if (!m.from.empty()) j["from"] = m.from;
  j["data"] = m.data.is_object() ? m.data : json::object();
}
void fill(json& j, const Chat& m) {
  j["text"] = m.text;
  // A chat carrying `from` is the server's fan-out; a client's chat is only its text.
  if (!m.from.empty()) {
    j["from"] = m.from;
    j["name"] = m.name;
    j["ts"] = m.ts;
  }
}
void fill(json& j, const MediaPath& m) {
  j["path"] = toString(m.path);
  j["publish"] = m.publish;
  j["epoch"] = m.epoch;
}
void fill(json& j, const SfuOffer& m) {
  j["sdp"] = m.sdp;
  if (m.streams.empty()) return;  // a client's (publisher) offer
  j["streams"] = json::array();
  for (const auto& stream : m.streams)
    j["streams"].push_back({{"mid", stream.mid}, {"peer", stream.peer}, {"kind", stream.kind}});
}
void fill(json& j, const SfuAnswer& m) {
  j["sdp"] = m.sdp;
}
void fill(json& j, const SfuCandidate& m) {
  j["link"] = toString(m.link);
  if (!m.candidate.empty()) j["candidate"] = m.candidate;  // absent: the end of candidates
  if (!m.sdpMid.empty()) j["sdpMid"] = m.sdpMid;
  if (m.sdpMLineIndex >= 0) j["sdpMLineIndex"] = m.sdpMLineIndex;
}
void fill(json& j, const SfuLayer& m) {
  j["peer"] = m.peer;
  j["layer"] = toString(m.layer);
}
void fill(json&, const SfuRestart&) {}
void fill(json& j, const SfuHangup& m) {
  j["link"] = toString(m.link);
}
void fill(json& j, const SfuSendLayer& m) {
  j["layer"] = toString(m.layer);
}
void fill(json& j, const Ping& m) {
  j["ts"] = m.ts;
}
void fill(json& j, const Pong& m) {
  j["ts"] = m.ts;
}

}  // namespace

std::string_view toString(ErrorCode code) {
  return nameOf(kErrorNames, code, "invalid_message");
}

std::optional<ErrorCode> errorCodeFromString(std::string_view text) {
  return valueOf(kErrorNames, text);
}

bool isProtocolError(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidJson:
    case ErrorCode::InvalidMessage:
    case ErrorCode::MessageTooBig:
    case ErrorCode::HelloRequired:
    case ErrorCode::UnsupportedVersion:
      return true;
    default:
      return false;
  }
}

int closeCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidJson:
      return kCloseInvalidPayload;
    case ErrorCode::MessageTooBig:
      return kCloseTooBig;
    case ErrorCode::InvalidMessage:
    case ErrorCode::HelloRequired:
    case ErrorCode::UnsupportedVersion:
      return kClosePolicy;
    default:
      return 0;
  }
}

std::string_view typeName(const Message& message) {
  static constexpr std::array<std::string_view, std::variant_size_v<Message>> kNames{
      "hello",     "create",         "join",         "leave",      "media",      "welcome",
      "joined",    "peer-joined",    "peer-left",    "peer-media", "left",       "room-closed",
      "error",     "signal",         "chat",         "ping",       "pong",       "ice-servers",
      "waiting",   "remove",         "request-mute", "lock",       "end-room",   "room-state",
      "removed",   "mute-requested", "media-path",   "sfu-offer",  "sfu-answer", "sfu-candidate",
      "sfu-layer", "sfu-restart",    "sfu-send-layer", "sfu-hangup"};
  return kNames[message.index()];
}

std::string encode(const Message& message) {
  json j = json::object();
  j["type"] = typeName(message);
  std::visit([&](const auto& m) { fill(j, m); }, message);
  // Replace rather than throw on invalid UTF-8: an opaque `data` or a name from a peer must
  // never be able to abort the encoder (Emscripten builds cannot catch).
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool isValidRoomId(std::string_view room) {
  if (room.empty() || room.size() > kMaxRoomIdChars) return false;
  for (char c : room) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::size_t codePointCount(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

bool isValidUtf8(std::string_view text) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    // ASCII, the bulk of any message: eight bytes at a time while no high bit is set.
    std::uint64_t eight = 0;
    if (text.size() - i >= 8 && (std::memcpy(&eight, text.data() + i, 8),
                                 (eight & 0x8080808080808080ULL) == 0)) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = decodeCodePoint(text, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

namespace {

// The one judgement of a display name behind normalizeName() and checkName(): the name as
// both sides keep it, or why there is none.
std::variant<std::string, NameProblem> judgeName(std::string_view name) {
  // One pass: invisible format characters are dropped, controls refuse the name (blank ones
  // such as a tab only inside it: at the ends they are trimmed), and the positions of the
  // first and last non-blank characters kept are remembered for the trim.
  std::string kept;
  kept.reserve(name.size());
  std::size_t begin = std::string::npos;
  std::size_t end = 0;
  bool invisible = false;
  char32_t cp = 0;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t len = decodeCodePoint(name, i, cp);
    if (len == 0 || (isControl(cp) && !isTrimmable(cp))) return NameProblem::Invalid;
    if (isInvisibleFormat(cp)) {
      invisible = true;
    } else {
      if (!isTrimmable(cp)) {
        if (begin == std::string::npos) begin = kept.size();
        end = kept.size() + len;
      }
      kept.append(name.substr(i, len));
    }
    i += len;
  }
  if (begin == std::string::npos) return invisible ? NameProblem::Invalid : NameProblem::Empty;
  std::string trimmed = kept.substr(begin, end - begin);
  for (std::size_t i = 0; i < trimmed.size();) {
    i += decodeCodePoint(trimmed, i, cp);
    if (isControl(cp)) return NameProblem::Invalid;  // a tab or line break between two words
  }
  if (codePointCount(trimmed) > kMaxNameChars) return NameProblem::TooLong;
  return trimmed;
}

}  // namespace

std::optional<std::string> normalizeName(std::string_view name) {
  auto judged = judgeName(name);
  if (auto* kept = std::get_if<std::string>(&judged)) return std::move(*kept);
  return std::nullopt;
}

NameProblem checkName(std::string_view name) {
  const auto judged = judgeName(name);
  const auto* problem = std::get_if<NameProblem>(&judged);
  return problem ? *problem : NameProblem::None;
}

std::string trimBlanks(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::string cleanChatText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = decodeCodePoint(text, i, cp);
    if (len == 0) {  // not UTF-8 (frames are checked before decoding): drop the byte
      ++i;
      continue;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      out.push_back('\n');
    } else if (cp == '\t') {
      out.push_back(' ');
    } else if (cp == '\n' || (!isControl(cp) && !isBidiControl(cp))) {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace vroom::protocol
