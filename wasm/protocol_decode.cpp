// The one decoder of the signaling protocol: text in, a Message or a typed DecodeError out.
// It must survive any input without throwing (it is fuzzed), so every field is type-checked
// before it is read and nlohmann is only ever asked for values it already holds.
#include <utility>

#include "protocol.hpp"

namespace vroom::protocol {

namespace {

using json = nlohmann::json;
using DecodeResult = Result<Message, DecodeError>;

// Echoed client text (an unknown type or role) is cut short so an error frame stays small;
// the cut never splits a UTF-8 sequence.
std::string clip(std::string_view text, std::size_t maxBytes = 64) {
  if (text.size() <= maxBytes) return std::string(text);
  std::size_t end = maxBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

Failure<DecodeError> failure(ErrorCode code, std::string message, std::string type = {}) {
  return fail(DecodeError{code, std::move(message), clip(type)});
}

}  // namespace

// Counted before parsing so a hostile `[[[[...` never reaches the parser's recursion.
int jsonNestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  bool escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) deepest = depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

namespace {

// Reads typed fields of one message object, remembering the first problem it meets.
class Fields {
 public:
  Fields(const json& object, std::string_view type) : object_(object), type_(clip(type)) {}

  bool failed() const { return error_.has_value(); }
  Failure<DecodeError> error() const { return vroom::fail(*error_); }
  const std::string& type() const { return type_; }

  // Each reader returns false (and records why) when a required field is missing or when a
  // present field has the wrong type; an absent optional field leaves `out` untouched.
  bool string(const char* key, std::string& out, bool required = true) {
    const json* v = find(key, required);
    if (!v) return !required;
    if (!v->is_string()) return wrongType(key, "a string");
    out = v->get_ref<const std::string&>();
    return true;
  }
  bool boolean(const char* key, bool& out, bool required = true) {
    const json* v = find(key, required);
    if (!v) return !required;
    if (!v->is_boolean()) return wrongType(key, "a boolean");
    out = v->get<bool>();
    return true;
  }
  bool integer(const char* key, std::int64_t& out, bool required = true) {
    const json* v = find(key, required);
    if (!v) return !required;
    if (v->is_number_integer() && !v->is_number_unsigned()) {
      out = v->get<std::int64_t>();
      return true;
    }
    // Unsigned values above INT64_MAX are not timestamps or versions we could have sent.
    if (v->is_number_unsigned() && v->get<std::uint64_t>() <= INT64_MAX) {
      out = static_cast<std::int64_t>(v->get<std::uint64_t>());
      return true;
    }
    return wrongType(key, "an integer");
  }
  bool count(const char* key, std::size_t& out, bool required = true) {
    std::int64_t value = 0;
    const json* v = find(key, required);
    if (!v) return !required;
    if (!integer(key, value) || value < 0) return wrongType(key, "a non-negative integer");
    out = static_cast<std::size_t>(value);
    return true;
  }
  bool number(const char* key, double& out, bool required = true) {
    const json* v = find(key, required);
    if (!v) return !required;
    if (!v->is_number()) return wrongType(key, "a number");
    out = v->get<double>();
    return true;
  }
  const json* object(const char* key, bool required = true) {
    const json* v = find(key, required);
    if (!v) return nullptr;
    if (!v->is_object()) wrongType(key, "an object");
    return v->is_object() ? v : nullptr;
  }
  const json* array(const char* key, bool required = true) {
    const json* v = find(key, required);
    if (!v) return nullptr;
    if (!v->is_array()) wrongType(key, "an array");
    return v->is_array() ? v : nullptr;
  }
  bool fail(ErrorCode code, std::string message) {
    if (!error_) error_ = DecodeError{code, std::move(message), type_};
    return false;
  }

 private:
  const json* find(const char* key, bool required) {
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) fail(ErrorCode::InvalidMessage, std::string("missing field '") + key + "'");
      return nullptr;
    }
    return &*it;
  }
  bool wrongType(const char* key, const char* expected) {
    return fail(ErrorCode::InvalidMessage, std::string("field '") + key + "' must be " + expected);
  }

  const json& object_;
  std::string type_;
  std::optional<DecodeError> error_;
};

bool readMedia(Fields& outer, const json& object, MediaState& media) {
  Fields f(object, outer.type());
  const bool ok = f.boolean("audio", media.audio) && f.boolean("video", media.video) &&
                  f.boolean("screen", media.screen);
  if (!ok) outer.fail(ErrorCode::InvalidMessage, "media: " + f.error().error.message);
  return ok;
}

bool readPeer(Fields& outer, const json& object, PeerInfo& peer) {
  if (!object.is_object()) return outer.fail(ErrorCode::InvalidMessage, "a peer must be an object");
  Fields f(object, outer.type());
  std::string role;
  if (!f.string("id", peer.id) || !f.string("name", peer.name) || !f.string("role", role)) {
    return outer.fail(ErrorCode::InvalidMessage, "peer: " + f.error().error.message);
  }
  const auto parsed = roleFromString(role);
  if (!parsed) return outer.fail(ErrorCode::InvalidMessage, "peer: unknown role '" + role + "'");
  peer.role = *parsed;
  const json* media = f.object("media", false);
  if (f.failed()) return outer.fail(ErrorCode::InvalidMessage, "peer: " + f.error().error.message);
  return !media || readMedia(outer, *media, peer.media);
}

bool readPeers(Fields& f, const json& array, std::vector<PeerInfo>& peers) {
  for (const auto& item : array) {
    PeerInfo peer;
    if (!readPeer(f, item, peer)) return false;
    peers.push_back(std::move(peer));
  }
  return true;
}

bool readMode(Fields& f, const char* key, Mode& mode, bool required) {
  std::string text;
  if (!f.string(key, text, required)) return false;
  if (text.empty() && !required) return true;
  const auto parsed = modeFromString(text);
  if (!parsed) return f.fail(ErrorCode::InvalidMessage, "unknown mode '" + clip(text) + "'");
  mode = *parsed;
  return true;
}

bool readRoomAndName(Fields& f, std::string& room, std::string& name) {
  if (!f.string("room", room) || !f.string("name", name)) return false;
  if (!isValidRoomId(room))
    return f.fail(ErrorCode::InvalidRoomId, "room ids are 1-64 characters of A-Z a-z 0-9 _ . -");
  auto normalized = normalizeName(name);
  if (!normalized)
    return f.fail(ErrorCode::InvalidName, "names are 1-40 characters without control characters");
  name = std::move(*normalized);
  return true;
}

// ---- client -> server ----

DecodeResult decodeHello(Fields& f) {
  Hello m;
  std::int64_t version = 0;
  if (!f.integer("version", version) || !f.string("resumeToken", m.resumeToken, false) ||
      !f.boolean("sfu", m.sfu, false))
    return f.error();
  m.version = version > INT32_MAX || version < INT32_MIN ? -1 : static_cast<int>(version);
  return Message{std::move(m)};
}

bool readCredentials(Fields& f, std::string& token, std::string& password) {
  return f.string("token", token, false) && f.string("password", password, false);
}

DecodeResult decodeCreate(Fields& f) {
  Create m;
  if (!readRoomAndName(f, m.room, m.name) || !readMode(f, "mode", m.mode, false) ||
      !f.boolean("audioOnly", m.audioOnly, false) || !readCredentials(f, m.token, m.password))
    return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeJoin(Fields& f) {
  Join m;
  std::string role;
  if (!readRoomAndName(f, m.room, m.name) || !f.string("role", role, false) ||
      !f.boolean("wait", m.wait, false) || !readCredentials(f, m.token, m.password))
    return f.error();
  if (!role.empty()) {
    m.role = roleFromString(role);
    if (!m.role)
      return failure(ErrorCode::InvalidMessage, "unknown role '" + clip(role) + "'", "join");
  }
  return Message{std::move(m)};
}

// A moderation command's target: a peer id, never empty.
bool readPeerId(Fields& f, std::string& peer) {
  if (!f.string("peer", peer)) return false;
  if (peer.empty()) return f.fail(ErrorCode::InvalidMessage, "peer id must not be empty");
  return true;
}

DecodeResult decodeRemove(Fields& f) {
  Remove m;
  if (!readPeerId(f, m.peer) || !f.boolean("ban", m.ban, false)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeRequestMute(Fields& f) {
  RequestMute m;
  if (!readPeerId(f, m.peer)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeLock(Fields& f) {
  Lock m;
  if (!f.boolean("locked", m.locked)) return f.error();
  return Message{m};
}

DecodeResult decodeSetMedia(Fields& f) {
  SetMedia m;
  const json* media = f.object("media");
  if (!media || !readMedia(f, *media, m.media)) return f.error();
  return Message{m};
}

DecodeResult decodeSignal(Fields& f, Sender sender) {
  Signal m;
  const bool fromServer = sender == Sender::Server;
  if (fromServer ? !f.string("from", m.from) : !f.string("to", m.to)) return f.error();
  // The server stamps `from` itself: whatever a client wrote there is dropped, not trusted.
  if (fromServer && !f.string("to", m.to, false)) return f.error();
  const json* data = f.object("data");
  if (!data) return f.error();
  m.data = *data;
  if ((fromServer ? m.from : m.to).empty())
    return failure(ErrorCode::InvalidMessage, "peer id must not be empty", "signal");
  return Message{std::move(m)};
}

DecodeResult decodeChat(Fields& f, Sender sender, const Limits& limits) {
  Chat m;
  if (!f.string("text", m.text)) return f.error();
  if (sender == Sender::Server) {
    if (!f.string("from", m.from) || !f.string("name", m.name, false) ||
        !f.integer("ts", m.ts, false))
      return f.error();
    // The fan-out always names its sender; an empty `from` would encode as a client's chat.
    if (m.from.empty())
      return failure(ErrorCode::InvalidMessage, "peer id must not be empty", "chat");
  }
  if (codePointCount(m.text) > limits.maxChatChars)
    return failure(ErrorCode::TooLong,
                   "chat text is limited to " + std::to_string(limits.maxChatChars) + " characters",
                   "chat");
  m.text = cleanChatText(m.text);  // no terminal escapes, NULs or bidi tricks reach a screen
  return Message{std::move(m)};
}

// ---- media through the video server (both directions) ----

// An SDP is opaque here (the video server parses it) but never empty.
bool readSdp(Fields& f, std::string& sdp) {
  if (!f.string("sdp", sdp)) return false;
  if (sdp.empty()) return f.fail(ErrorCode::InvalidMessage, "sdp must not be empty");
  return true;
}

template <class T, std::size_t N>
bool readEnum(Fields& f, const char* key, const EnumName<T> (&names)[N], T& out) {
  std::string text;
  if (!f.string(key, text)) return false;
  const auto parsed = valueOf(names, text);
  if (!parsed)
    return f.fail(ErrorCode::InvalidMessage,
                  std::string("unknown ") + key + " '" + clip(text) + "'");
  out = *parsed;
  return true;
}

// `streams` may be absent, as encode() writes an offer that carries none (every publisher gone).
bool readSfuStreams(Fields& f, std::vector<SfuStream>& out) {
  const json* streams = f.array("streams", false);
  if (!streams) return !f.failed();
  for (const auto& item : *streams) {
    if (!item.is_object()) return f.fail(ErrorCode::InvalidMessage, "a stream must be an object");
    Fields s(item, f.type());
    SfuStream stream;
    if (!s.string("mid", stream.mid) || !s.string("peer", stream.peer) ||
        !s.string("kind", stream.kind))
      return f.fail(ErrorCode::InvalidMessage, "streams: " + s.error().error.message);
    out.push_back(std::move(stream));
  }
  return true;
}

DecodeResult decodeSfuOffer(Fields& f, Sender sender) {
  SfuOffer m;
  if (!readSdp(f, m.sdp) || (sender == Sender::Server && !readSfuStreams(f, m.streams)))
    return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeSfuAnswer(Fields& f) {
  SfuAnswer m;
  if (!readSdp(f, m.sdp)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeSfuCandidate(Fields& f) {
  SfuCandidate m;
  if (!readEnum(f, "link", kSfuLinkNames, m.link) || !f.string("candidate", m.candidate, false) ||
      !f.string("sdpMid", m.sdpMid, false) || !f.integer("sdpMLineIndex", m.sdpMLineIndex, false))
    return f.error();
  if (m.sdpMLineIndex < -1 || m.sdpMLineIndex > 1023)
    return failure(ErrorCode::InvalidMessage, "sdpMLineIndex is out of range", "sfu-candidate");
  return Message{std::move(m)};
}

DecodeResult decodeSfuLayer(Fields& f) {
  SfuLayer m;
  if (!readPeerId(f, m.peer) || !readEnum(f, "layer", kLayerNames, m.layer)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeSfuSendLayer(Fields& f) {
  SfuSendLayer m;
  if (!readEnum(f, "layer", kLayerNames, m.layer)) return f.error();
  return Message{m};
}

DecodeResult decodeSfuHangup(Fields& f) {
  SfuHangup m;
  if (!readEnum(f, "link", kSfuLinkNames, m.link)) return f.error();
  return Message{m};
}

DecodeResult decodeMediaPath(Fields& f) {
  MediaPath m;
  if (!readEnum(f, "path", kMediaPathNames, m.path) || !f.boolean("publish", m.publish, false) ||
      !f.integer("epoch", m.epoch, false))
    return f.error();
  return Message{m};
}

template <class T>
DecodeResult decodeTimestamped(Fields& f) {
  T m;
  if (!f.integer("ts", m.ts, false)) return f.error();
  return Message{m};
}

// ---- server -> client ----

bool readLimits(Fields& outer, const json& object, Limits& limits) {
  Fields f(object, outer.type());
  std::int64_t window = limits.resumeWindowSeconds;
  const bool ok = f.count("maxMessageBytes", limits.maxMessageBytes, false) &&
                  f.count("maxChatChars", limits.maxChatChars, false) &&
                  f.count("maxRoomSize", limits.maxRoomSize, false) &&
                  f.number("messagesPerSecond", limits.messagesPerSecond, false) &&
                  f.number("bytesPerSecond", limits.bytesPerSecond, false) &&
                  f.integer("resumeWindowSeconds", window, false);
  if (!ok) return outer.fail(ErrorCode::InvalidMessage, "limits: " + f.error().error.message);
  limits.resumeWindowSeconds = window < 0 || window > INT32_MAX ? 0 : static_cast<int>(window);
  return true;
}

bool readIceServer(Fields& outer, const json& object, IceServer& server) {
  if (!object.is_object())
    return outer.fail(ErrorCode::InvalidMessage, "an ICE server must be an object");
  Fields f(object, outer.type());
  const json* urls = f.array("urls");
  if (!urls || !f.string("username", server.username, false) ||
      !f.string("credential", server.credential, false))
    return outer.fail(ErrorCode::InvalidMessage, "iceServers: " + f.error().error.message);
  for (const auto& url : *urls) {
    if (!url.is_string()) return outer.fail(ErrorCode::InvalidMessage, "ICE urls must be strings");
    server.urls.push_back(url.get<std::string>());
  }
  return true;
}

bool readIceServers(Fields& f, bool required, std::vector<IceServer>& out) {
  const json* servers = f.array("iceServers", required);
  if (f.failed()) return false;
  if (servers) {
    for (const auto& item : *servers) {
      IceServer server;
      if (!readIceServer(f, item, server)) return false;
      out.push_back(std::move(server));
    }
  }
  return true;
}

DecodeResult decodeWelcome(Fields& f) {
  Welcome m;
  std::int64_t version = 0;
  if (!f.integer("version", version) || !f.string("resumeToken", m.resumeToken) ||
      !f.boolean("resumed", m.resumed, false))
    return f.error();
  m.version = version > INT32_MAX || version < INT32_MIN ? -1 : static_cast<int>(version);
  if (const json* limits = f.object("limits", false); limits && !readLimits(f, *limits, m.limits))
    return f.error();
  if (!readIceServers(f, false, m.iceServers)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeIceServers(Fields& f) {
  IceServersMsg m;
  if (!readIceServers(f, true, m.iceServers)) return f.error();
  return Message{std::move(m)};
}

// An optional array of peer ids.
bool readIds(Fields& f, const char* key, std::vector<std::string>& out) {
  const json* ids = f.array(key, false);
  if (f.failed()) return false;
  if (!ids) return true;
  for (const auto& id : *ids) {
    if (!id.is_string())
      return f.fail(ErrorCode::InvalidMessage, std::string(key) + ": ids are strings");
    out.push_back(id.get<std::string>());
  }
  return true;
}

DecodeResult decodeJoined(Fields& f) {
  Joined m;
  const json* self = f.object("self");
  if (!self || !readPeer(f, *self, m.self) || !f.string("room", m.room) ||
      !readMode(f, "mode", m.mode, true) || !f.boolean("audioOnly", m.audioOnly, false) ||
      !f.boolean("resumed", m.resumed, false) || !readIds(f, "moderators", m.moderators) ||
      !f.boolean("locked", m.locked, false))
    return f.error();
  const json* members = f.array("members");
  if (!members || !readPeers(f, *members, m.members)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeRoomState(Fields& f) {
  RoomState m;
  if (!readIds(f, "moderators", m.moderators) || !f.boolean("locked", m.locked, false) ||
      !f.string("by", m.by, false))
    return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeRemoved(Fields& f) {
  Removed m;
  if (!f.string("peer", m.peer) || !f.string("by", m.by) || !f.string("byName", m.byName, false) ||
      !f.boolean("ban", m.ban, false))
    return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeMuteRequested(Fields& f) {
  MuteRequested m;
  if (!f.string("peer", m.peer) || !f.string("by", m.by) || !f.string("byName", m.byName, false))
    return f.error();
  return Message{std::move(m)};
}

DecodeResult decodePeerJoined(Fields& f) {
  PeerJoined m;
  const json* peer = f.object("peer");
  if (!peer || !readPeer(f, *peer, m.peer)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodePeerMedia(Fields& f) {
  PeerMedia m;
  const json* media = f.object("media");
  if (!f.string("id", m.id) || !media || !readMedia(f, *media, m.media)) return f.error();
  return Message{std::move(m)};
}

DecodeResult decodeError(Fields& f) {
  ErrorMsg m;
  std::string code;
  if (!f.string("code", code) || !f.string("message", m.message, false) ||
      !f.string("offendingType", m.type, false))
    return f.error();
  const auto parsed = errorCodeFromString(code);
  if (!parsed)
    return failure(ErrorCode::InvalidMessage, "unknown error code '" + clip(code) + "'", "error");
  m.code = *parsed;
  return Message{std::move(m)};
}

DecodeResult decodeClient(Fields& f, const std::string& type, const Limits& limits) {
  if (type == "hello") return decodeHello(f);
  if (type == "create") return decodeCreate(f);
  if (type == "join") return decodeJoin(f);
  if (type == "leave") return Message{Leave{}};
  if (type == "media") return decodeSetMedia(f);
  if (type == "signal") return decodeSignal(f, Sender::Client);
  if (type == "chat") return decodeChat(f, Sender::Client, limits);
  if (type == "ping") return decodeTimestamped<Ping>(f);
  if (type == "pong") return decodeTimestamped<Pong>(f);
  if (type == "remove") return decodeRemove(f);
  if (type == "request-mute") return decodeRequestMute(f);
  if (type == "lock") return decodeLock(f);
  if (type == "end-room") return Message{EndRoom{}};
  if (type == "sfu-offer") return decodeSfuOffer(f, Sender::Client);
  if (type == "sfu-answer") return decodeSfuAnswer(f);
  if (type == "sfu-candidate") return decodeSfuCandidate(f);
  if (type == "sfu-layer") return decodeSfuLayer(f);
  if (type == "sfu-restart") return Message{SfuRestart{}};
  return failure(ErrorCode::InvalidMessage, "unknown message type '" + clip(type) + "'", type);
}

DecodeResult decodeServer(Fields& f, const std::string& type, const Limits& limits) {
  if (type == "welcome") return decodeWelcome(f);
  if (type == "joined") return decodeJoined(f);
  if (type == "ice-servers") return decodeIceServers(f);
  if (type == "waiting") {
    Waiting m;
    if (!f.string("room", m.room)) return f.error();
    return Message{std::move(m)};
  }
  if (type == "peer-joined") return decodePeerJoined(f);
  if (type == "peer-left") {
    PeerLeft m;
    if (!f.string("id", m.id)) return f.error();
    return Message{std::move(m)};
  }
  if (type == "peer-media") return decodePeerMedia(f);
  if (type == "left") return Message{Left{}};
  if (type == "room-closed") {
    RoomClosedMsg m;
    if (!f.string("reason", m.reason, false) || !f.string("by", m.by, false) ||
        !f.string("byName", m.byName, false))
      return f.error();
    return Message{std::move(m)};
  }
  if (type == "room-state") return decodeRoomState(f);
  if (type == "removed") return decodeRemoved(f);
  if (type == "mute-requested") return decodeMuteRequested(f);
  if (type == "media-path") return decodeMediaPath(f);
  if (type == "sfu-offer") return decodeSfuOffer(f, Sender::Server);
  if (type == "sfu-answer") return decodeSfuAnswer(f);
  if (type == "sfu-send-layer") return decodeSfuSendLayer(f);
  if (type == "sfu-hangup") return decodeSfuHangup(f);
  if (type == "error") return decodeError(f);
  if (type == "signal") return decodeSignal(f, Sender::Server);
  if (type == "chat") return decodeChat(f, Sender::Server, limits);
  if (type == "ping") return decodeTimestamped<Ping>(f);
  if (type == "pong") return decodeTimestamped<Pong>(f);
  return failure(ErrorCode::InvalidMessage, "unknown message type '" + clip(type) + "'", type);
}

}  // namespace

std::optional<DecodeError> checkFrame(std::string_view text, const Limits& limits) {
  if (text.size() > limits.maxMessageBytes)
    return DecodeError{
        ErrorCode::MessageTooBig,
        "messages are limited to " + std::to_string(limits.maxMessageBytes) + " bytes",
        {}};
  if (!isValidUtf8(text)) return DecodeError{ErrorCode::InvalidJson, "not valid UTF-8", {}};
  // JSON never holds a raw NUL, and nlohmann would read one as the end of the input.
  if (text.find('\0') != std::string_view::npos)
    return DecodeError{ErrorCode::InvalidJson, "NUL byte in the message", {}};
  return std::nullopt;
}

DecodeResult decode(std::string_view text, Sender sender, const Limits& limits) {
  if (auto refused = checkFrame(text, limits)) return fail(std::move(*refused));
  if (jsonNestingDepth(text) > kMaxJsonDepth)
    return failure(ErrorCode::InvalidJson,
                   "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return failure(ErrorCode::InvalidJson, "not valid JSON");
  if (!root.is_object()) return failure(ErrorCode::InvalidMessage, "a message must be an object");
  const auto typeIt = root.find("type");
  if (typeIt == root.end() || !typeIt->is_string())
    return failure(ErrorCode::InvalidMessage, "a message needs a string 'type'");
  const std::string type = typeIt->get<std::string>();
  Fields fields(root, type);
  return sender == Sender::Client ? decodeClient(fields, type, limits)
                                  : decodeServer(fields, type, limits);
}

DecodeResult decode(std::string_view text, Sender sender, std::size_t maxBytes) {
  Limits limits;
  limits.maxMessageBytes = maxBytes;
  return decode(text, sender, limits);
}

}  // namespace vroom::protocol
