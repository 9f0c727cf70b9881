// The Janus API's envelopes as vroom-server reads them: one never-throwing parse of a text
// frame from Janus into a reply (matched to a transaction) or an event for a handle, the
// typed errors every Janus operation completes with, and checked field accessors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "result.hpp"

namespace vroom::server::janus {

using Json = nlohmann::json;

// How a Janus operation failed; tests assert on these, logs print kJanusErrorNames.
enum class ErrorCode {
  Timeout,       // no reply within the request timeout
  Disconnected,  // the connection to Janus dropped (or was never up) before the reply
  Stopped,       // the client was stopped with the request pending
  Malformed,     // Janus's reply was not the JSON the operation expects
  Janus,         // Janus refused the request ("janus": "error"); `janusCode` is its code
  Plugin,        // the plugin refused it (`error_code` in plugindata); `janusCode` is its code
  TooLarge,      // a request or reply over the size cap
};

struct Error {
  ErrorCode code = ErrorCode::Malformed;
  int janusCode = 0;   // Janus's or the plugin's numeric code, 0 if none
  std::string reason;  // Janus's words (clipped), or ours
};

std::string_view errorName(ErrorCode code);

template <class T>
using JanusResult = Result<T, Error>;

// A value for operations whose success carries nothing.
struct Done {};

inline Failure<Error> failWith(ErrorCode code, std::string reason = {}, int janusCode = 0) {
  return fail(Error{code, janusCode, std::move(reason)});
}

// Events Janus pushes for a handle (or the session) outside any reply.
enum class EventKind {
  PluginEvent,  // "event" without a pending transaction: plugindata (+ jsep)
  WebrtcUp,     // the handle's PeerConnection is up
  Hangup,       // ...and down (`reason`)
  Detached,     // the handle is gone
  SlowLink,     // `uplink`, `mid`, `lost`
  Media,        // `mediaType` (audio/video), `mid`, `receiving`
  Trickle,      // a candidate from Janus (full-trickle only): ignored by vroom for now
  Timeout,      // the session timed out in Janus
};

struct Jsep {
  std::string type;  // "offer" or "answer"
  std::string sdp;
};

// A browser's ICE candidate, relayed to Janus with a trickle request.
struct IceCandidate {
  std::string candidate;  // "candidate:..." as RTCIceCandidate.candidate has it
  std::string sdpMid;
  int sdpMLineIndex = -1;  // -1: absent
};

// One frame from Janus, classified.
struct Incoming {
  enum class Kind { Ack, Success, Error, Event, Other } kind = Kind::Other;
  std::string transaction;  // empty: none
  std::uint64_t sessionId = 0;
  std::uint64_t sender = 0;                  // the handle an event or plugin reply concerns
  EventKind event = EventKind::PluginEvent;  // when kind == Event
  Json pluginData;                           // plugindata.data (null when absent)
  std::optional<Jsep> jsep;
  Json data;    // "data" of a core success (session/handle ids)
  Error error;  // when kind == Error
  // Media/slowlink/hangup details.
  std::string reason;
  std::string mediaType;
  std::string mid;
  bool receiving = false;
  bool uplink = false;
  std::uint64_t lost = 0;
};

inline constexpr std::size_t kMaxJanusDepth = 32;

// False when `text` nests objects/arrays deeper than `limit` (strings are skipped).
bool nestingWithin(std::string_view text, std::size_t limit);

// Never throws. Malformed JSON, nesting deeper than kMaxJanusDepth, a non-object, a missing
// or unknown "janus", or a field of the wrong type is a Malformed error.
JanusResult<Incoming> parseIncoming(std::string_view text);

// Checked accessors: nullopt when absent or of another type (never throw).
std::optional<std::uint64_t> getU64(const Json& object, std::string_view key);
std::optional<std::int64_t> getI64(const Json& object, std::string_view key);
std::optional<std::string> getString(const Json& object, std::string_view key);
std::optional<bool> getBool(const Json& object, std::string_view key);
const Json* getObject(const Json& object, std::string_view key);
const Json* getArray(const Json& object, std::string_view key);

}  // namespace vroom::server::janus
