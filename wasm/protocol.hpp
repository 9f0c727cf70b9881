// The signaling protocol of docs/protocol.md as C++ types, with one decoder and one encoder
// shared by the client core and the server so the two can never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "enum_names.hpp"
#include "result.hpp"

namespace vroom::protocol {

inline constexpr int kVersion = 1;

// Default limits; the server may announce smaller or larger ones in `welcome`.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;
inline constexpr std::size_t kMaxChatChars = 1000;  // Unicode code points
inline constexpr std::size_t kMaxNameChars = 40;    // Unicode code points
inline constexpr std::size_t kMaxRoomIdChars = 64;  // [A-Za-z0-9_.-]
inline constexpr int kMaxJsonDepth = 32;

// Every error either side can name. The first group are protocol errors: the server sends
// an `error` frame and closes the socket. The second group are user errors: reported with
// an `error` frame, the connection stays open.
enum class ErrorCode {
  // protocol errors (close)
  InvalidJson,         // not JSON, invalid UTF-8, or nested deeper than kMaxJsonDepth -> 1007
  InvalidMessage,      // not an object, unknown/unexpected type, missing or mistyped field -> 1008
  MessageTooBig,       // over the size cap -> 1009
  HelloRequired,       // anything but `hello` before `hello` -> 1008
  UnsupportedVersion,  // `hello` with a version the server does not speak -> 1008
  // user errors (stay open)
  RoomExists,
  RoomNotFound,
  RoomFull,
  RoomClosed,  // a broadcast whose host left
  NotInRoom,
  AlreadyInRoom,
  NotAllowed,
  RateLimited,
  UnknownPeer,
  InvalidRoomId,
  InvalidName,
  TooLong,  // chat text over the limit
  // who may enter (docs/protocol.md, "Join tokens", "Passwords", "Moderation")
  TokenRequired,     // this server admits only holders of a join token
  TokenInvalid,      // not a token signed with this server's secret, or its claims are unusable
  TokenExpired,      // past its `exp` (or before its `nbf`)
  TokenWrongRoom,    // the token opens another room
  PasswordRequired,  // the room (or the broadcast id) has a password and none was given
  WrongPassword,
  TooManyAttempts,  // too many wrong passwords from this address: wait a little
  RoomLocked,       // a moderator locked the room to new joins
  Banned,           // a moderator removed this person for the room's lifetime
  // media through the video server (docs/protocol.md, "Media path")
  SfuUnavailable,  // the room should use the video server (SFU) and it cannot be reached
};
inline constexpr ErrorCode kLastErrorCode = ErrorCode::SfuUnavailable;

std::string_view toString(ErrorCode code);  // "room_exists", "invalid_json", ...
std::optional<ErrorCode> errorCodeFromString(std::string_view text);
bool isProtocolError(ErrorCode code);
// WebSocket close code for protocol errors (1007/1008/1009); 0 for user errors (stay open).
int closeCodeFor(ErrorCode code);

// WebSocket close codes the server uses (docs/protocol.md, "Closing").
inline constexpr int kCloseNormal = 1000;
inline constexpr int kCloseGoingAway = 1001;       // server shutting down
inline constexpr int kCloseInvalidPayload = 1007;  // InvalidJson
inline constexpr int kClosePolicy = 1008;          // protocol violation, flooding, bad origin
inline constexpr int kCloseTooBig = 1009;          // MessageTooBig
inline constexpr int kCloseReplaced = 4000;        // the session was resumed on another socket
inline constexpr int kCloseTimeout = 4001;         // no `hello` in time, or idle with no pong

enum class Mode { Conference, Broadcast };
enum class Role { Member, Host, Viewer };  // Member: conference; Host/Viewer: broadcast

inline constexpr EnumName<Mode> kModeNames[] = {{Mode::Conference, "conference"},
                                                {Mode::Broadcast, "broadcast"}};
inline constexpr EnumName<Role> kRoleNames[] = {
    {Role::Member, "member"}, {Role::Host, "host"}, {Role::Viewer, "viewer"}};

constexpr std::string_view toString(Mode mode) {
  return nameOf(kModeNames, mode, "conference");
}
constexpr std::string_view toString(Role role) {
  return nameOf(kRoleNames, role, "member");
}
constexpr std::optional<Mode> modeFromString(std::string_view text) {
  return valueOf(kModeNames, text);
}
constexpr std::optional<Role> roleFromString(std::string_view text) {
  return valueOf(kRoleNames, text);
}

struct MediaState {
  bool audio = true;    // microphone on
  bool video = true;    // camera on
  bool screen = false;  // sharing a screen
  bool operator==(const MediaState&) const = default;
};

struct PeerInfo {
  std::string id;
  std::string name;
  Role role = Role::Member;
  MediaState media;
  bool operator==(const PeerInfo&) const = default;
};

struct IceServer {
  std::vector<std::string> urls;
  std::string username;
  std::string credential;
  bool operator==(const IceServer&) const = default;
};

struct Limits {
  std::size_t maxMessageBytes = kMaxMessageBytes;
  std::size_t maxChatChars = kMaxChatChars;
  std::size_t maxRoomSize = 16;
  double messagesPerSecond = 50;
  // Bytes a client may send a second, on average (one largest message): signaling is small,
  // and this is what keeps a few connections from making the server scan megabytes a second.
  double bytesPerSecond = static_cast<double>(kMaxMessageBytes);
  int resumeWindowSeconds = 60;
  bool operator==(const Limits&) const = default;
};

// ---- client -> server ----
struct Hello {
  int version = kVersion;
  std::string resumeToken;  // empty: a fresh session
  // The client can carry a room's media through the video server (an SFU link: `media-path`,
  // `sfu-*`). A room moves to the SFU only when every member said so.
  bool sfu = false;
  bool operator==(const Hello&) const = default;
};
// Credentials of create/join (empty: none). `token`: a join token (required when the server
// has a token secret). `password`: the room's password, or the one a first person sets.
struct Create {
  std::string room;
  std::string name;
  Mode mode = Mode::Conference;
  bool audioOnly = false;
  std::string token{};
  std::string password{};
  bool operator==(const Create&) const = default;
};
struct Join {
  std::string room;
  std::string name;
  std::optional<Role> role;  // broadcast rooms: Viewer (the default when absent)
  // Viewers only: when no broadcast with this id is live, wait for it (`waiting`, then
  // `joined` when the host goes live) instead of failing with room_not_found.
  bool wait = false;
  std::string token{};
  std::string password{};
  bool operator==(const Join&) const = default;
};
// ---- moderation, client -> server (moderators only; docs/protocol.md, "Moderation") ----
struct Remove {  // "remove": the peer leaves the room; with `ban` it cannot come back
  std::string peer;
  bool ban = false;
  bool operator==(const Remove&) const = default;
};
struct RequestMute {  // "request-mute": the peer's client turns its microphone off
  std::string peer;
  bool operator==(const RequestMute&) const = default;
};
struct Lock {  // "lock": refuse (true) or admit again (false) new joins
  bool locked = true;
  bool operator==(const Lock&) const = default;
};
struct EndRoom {  // "end-room": close the room for everyone
  bool operator==(const EndRoom&) const = default;
};
struct Leave {
  bool operator==(const Leave&) const = default;
};
struct SetMedia {  // "media": my microphone/camera/screen state changed
  MediaState media;
  bool operator==(const SetMedia&) const = default;
};

// ---- server -> client ----
struct Welcome {
  int version = kVersion;
  std::string resumeToken;  // present it in a later `hello` to resume this session
  bool resumed = false;     // true: the old peer id and room are back (a `joined` follows)
  Limits limits;
  std::vector<IceServer> iceServers;
  bool operator==(const Welcome&) const = default;
};
struct Joined {
  PeerInfo self;
  std::string room;
  Mode mode = Mode::Conference;
  bool audioOnly = false;
  std::vector<PeerInfo> members;  // the others this peer may see (viewers see only the host)
  bool resumed = false;
  std::vector<std::string> moderators{};  // peer ids, self included when it moderates
  bool locked = false;                    // new joins are refused
  bool operator==(const Joined&) const = default;
};
struct RoomState {  // "room-state": who moderates, whether the room is locked; `by` who changed it
  std::vector<std::string> moderators;
  bool locked = false;
  std::string by;  // empty: a moderator left and the role was handed on
  bool operator==(const RoomState&) const = default;
};
struct Removed {  // "removed": to the peer removed (now out of the room) and to the moderator
  std::string peer;
  std::string by;
  std::string byName;
  bool ban = false;
  bool operator==(const Removed&) const = default;
};
struct MuteRequested {  // "mute-requested": to the peer asked and to the moderator who asked
  std::string peer;
  std::string by;
  std::string byName;
  bool operator==(const MuteRequested&) const = default;
};
struct PeerJoined {
  PeerInfo peer;
  bool operator==(const PeerJoined&) const = default;
};
struct PeerLeft {
  std::string id;
  bool operator==(const PeerLeft&) const = default;
};
struct PeerMedia {
  std::string id;
  MediaState media;
  bool operator==(const PeerMedia&) const = default;
};
struct Left {  // acknowledges `leave`
  bool operator==(const Left&) const = default;
};
// "room-closed": everyone still in it is out of the room: reason "host_left" (a broadcast's
// host left) or "ended" (a moderator, named by `by`/`byName`, ended it).
struct RoomClosedMsg {
  std::string reason;
  std::string by{};
  std::string byName{};
  bool operator==(const RoomClosedMsg&) const = default;
};
struct ErrorMsg {  // "error"
  ErrorCode code = ErrorCode::InvalidMessage;
  std::string message;  // for humans
  std::string type;     // the offending message's type, if known (wire name "offendingType")
  bool operator==(const ErrorMsg&) const = default;
};

// ---- both directions ----
struct Signal {
  std::string to;    // client -> server: the target peer
  std::string from;  // server -> client: stamped by the server, never trusted from a client
  nlohmann::json data = nlohmann::json::object();  // opaque: SDP or ICE
  bool operator==(const Signal&) const = default;
};
struct Chat {
  std::string text;
  std::string from;     // server -> client
  std::string name;     // server -> client: sender's display name
  std::int64_t ts = 0;  // server -> client: milliseconds since the Unix epoch
  bool operator==(const Chat&) const = default;
};
struct Ping {
  std::int64_t ts = 0;
  bool operator==(const Ping&) const = default;
};
struct Pong {
  std::int64_t ts = 0;
  bool operator==(const Pong&) const = default;
};
// server -> client: fresh ICE servers (renewed short-lived TURN credentials) for the
// connections made from now on; live connections take them for their next ICE restart.
struct IceServersMsg {
  std::vector<IceServer> iceServers;
  bool operator==(const IceServersMsg&) const = default;
};
struct Waiting {  // a viewer's join{wait}: the broadcast is not live yet; `joined` follows
  std::string room;
  bool operator==(const Waiting&) const = default;
};

// ---- media through the video server (SFU; docs/protocol.md, "Media path") ----
// A room's media travels either peer to peer (mesh: `signal`) or through the server's video
// server (sfu: one publisher link up, one subscriber link down, both negotiated with the
// server). Peer ids only: the video server's room, feed and handle ids never reach a client.
enum class MediaPathKind { Mesh, Sfu };
inline constexpr EnumName<MediaPathKind> kMediaPathNames[] = {{MediaPathKind::Mesh, "mesh"},
                                                              {MediaPathKind::Sfu, "sfu"}};
constexpr std::string_view toString(MediaPathKind path) {
  return nameOf(kMediaPathNames, path, "mesh");
}
// Which of the client's two SFU links a candidate belongs to.
enum class SfuLink { Publisher, Subscriber };
inline constexpr EnumName<SfuLink> kSfuLinkNames[] = {{SfuLink::Publisher, "publisher"},
                                                      {SfuLink::Subscriber, "subscriber"}};
constexpr std::string_view toString(SfuLink link) {
  return nameOf(kSfuLinkNames, link, "publisher");
}
// The simulcast layer a client wants of a peer's video ("layers follow the layout"); Off
// pauses it (an off-screen tile). Declared from most to least.
enum class Layer { High, Medium, Low, Off };
// The more of two layers (High over Medium over Low over Off).
constexpr Layer moreOf(Layer a, Layer b) {
  return a < b ? a : b;
}
inline constexpr EnumName<Layer> kLayerNames[] = {
    {Layer::High, "high"}, {Layer::Medium, "medium"}, {Layer::Low, "low"}, {Layer::Off, "off"}};
constexpr std::string_view toString(Layer layer) {
  return nameOf(kLayerNames, layer, "high");
}

// server -> client "media-path": how this room's media travels from now on. Sent after
// `joined` when the room is not on the mesh, and to every member when the path changes.
// `epoch` grows each time the video server's side was built again (the room moved, or the
// video server restarted): a client republishes and waits for a new `sfu-offer`.
struct MediaPath {
  MediaPathKind path = MediaPathKind::Mesh;
  bool publish = false;  // sfu: this client sends media (conference members, a broadcast host)
  std::int64_t epoch = 0;
  bool operator==(const MediaPath&) const = default;
};
// One stream of the subscriber link: its mid there, whose it is, what it carries.
struct SfuStream {
  std::string mid;
  std::string peer;
  std::string kind;  // "audio" | "video"
  bool operator==(const SfuStream&) const = default;
};
// "sfu-offer": client -> server, the publisher link's offer (`streams` unused); server ->
// client, the subscriber link's offer with the streams it carries (answered by `sfu-answer`).
struct SfuOffer {
  std::string sdp;
  std::vector<SfuStream> streams{};
  bool operator==(const SfuOffer&) const = default;
};
// "sfu-answer": server -> client, the answer to the publisher's offer; client -> server, the
// answer to the subscriber link's offer.
struct SfuAnswer {
  std::string sdp;
  bool operator==(const SfuAnswer&) const = default;
};
// client -> server "sfu-candidate": a local ICE candidate of one link; `candidate` empty: the
// end of them. (The video server's own candidates are in its SDP.)
struct SfuCandidate {
  SfuLink link = SfuLink::Publisher;
  std::string candidate;
  std::string sdpMid;
  std::int64_t sdpMLineIndex = -1;  // -1: absent
  bool operator==(const SfuCandidate&) const = default;
};
// client -> server "sfu-layer": the layer wanted of `peer`'s video.
struct SfuLayer {
  std::string peer;
  Layer layer = Layer::High;
  bool operator==(const SfuLayer&) const = default;
};
// server -> client "sfu-send-layer": the highest layer anyone in the room watches of this
// client's camera. Layers above it are not encoded (no CPU or upload spent on what no one
// shows); `off`: no one shows it now.
struct SfuSendLayer {
  Layer layer = Layer::High;
  bool operator==(const SfuSendLayer&) const = default;
};
// server -> client "sfu-hangup": the video server hung up this link's connection (its ICE
// failed there, or a DTLS alert came): an ICE restart cannot bring it back. The client closes
// that connection and makes a new one: the publisher offers again; the subscriber answers the
// server's next `sfu-offer`, which follows.
struct SfuHangup {
  SfuLink link = SfuLink::Publisher;
  bool operator==(const SfuHangup&) const = default;
};
// client -> server "sfu-restart": the subscriber link lost its path; the video server is asked
// for an ICE restart, which comes back as an `sfu-offer` with new ICE credentials. (The
// publisher link restarts with a new `sfu-offer` of its own.)
struct SfuRestart {
  bool operator==(const SfuRestart&) const = default;
};

using Message =
    std::variant<Hello, Create, Join, Leave, SetMedia, Welcome, Joined, PeerJoined, PeerLeft,
                 PeerMedia, Left, RoomClosedMsg, ErrorMsg, Signal, Chat, Ping, Pong, IceServersMsg,
                 Waiting, Remove, RequestMute, Lock, EndRoom, RoomState, Removed, MuteRequested,
                 MediaPath, SfuOffer, SfuAnswer, SfuCandidate, SfuLayer, SfuRestart, SfuSendLayer, SfuHangup>;

// The wire name of a message: "hello", "peer-joined", "room-closed", "error", ...
std::string_view typeName(const Message& message);

// Who sent the text being decoded: the server accepts only client types, a client only
// server types (ping/pong/signal/chat go both ways).
enum class Sender { Client, Server };

struct DecodeError {
  ErrorCode code = ErrorCode::InvalidMessage;
  std::string message;  // for humans: what was wrong
  std::string type;     // the message's `type` if it could be read
};

// What every reader refuses before looking at the JSON (decode() and the server's
// scanClient()): more than maxMessageBytes, invalid UTF-8, a NUL byte. Nullopt: acceptable.
std::optional<DecodeError> checkFrame(std::string_view text, const Limits& limits);

// Never throws; any input either decodes or yields a DecodeError with a protocol error code.
// Field values are checked (room id charset and length, name length, chat length in code
// points, no control characters in names) and fail with the user error codes above, so the
// server reports them without closing.
Result<Message, DecodeError> decode(std::string_view text, Sender sender,
                                    std::size_t maxBytes = kMaxMessageBytes);
// The same, with the size and chat caps a server announced (or configured) in `limits`.
Result<Message, DecodeError> decode(std::string_view text, Sender sender, const Limits& limits);

std::string encode(const Message& message);

// Helpers shared by the UI and the server.
bool isValidRoomId(std::string_view room);
std::size_t codePointCount(std::string_view utf8);  // counts UTF-8 code points
bool isValidUtf8(std::string_view text);  // strict: no overlongs, surrogates or > U+10FFFF
// Deepest bracket nesting of a (possibly invalid) JSON text; brackets inside strings do not
// count. decode() refuses texts deeper than kMaxJsonDepth before parsing them.
int jsonNestingDepth(std::string_view text);
// A display name as both sides check it: invisible format characters (bidi controls,
// zero-width characters, soft hyphen, BOM, tags) removed, trimmed of white space, then
// 1..kMaxNameChars code points of valid UTF-8 without control characters; nullopt when no such
// name results. The server adds its own rules on top (server/name_policy.hpp).
std::optional<std::string> normalizeName(std::string_view name);
// Why normalizeName() refuses a name (None when it does not): the one rule the lobby, the
// session and the server apply, so each can say what is wrong.
enum class NameProblem { None, Empty, TooLong, Invalid };
NameProblem checkName(std::string_view name);
// `text` without the spaces and tabs around it (what a form field submits).
std::string trimBlanks(std::string_view text);
// Chat text as it is relayed and shown: control characters and bidi controls removed (a line
// break is kept; a tab becomes a space, U+2028/2029 a line break). Never fails.
std::string cleanChatText(std::string_view text);

}  // namespace vroom::protocol
