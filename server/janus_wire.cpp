// Parsing of Janus API frames (see janus_wire.hpp): a bounded nesting scan, then nlohmann's
// non-throwing parse, then checked reads of the envelope.
#include "janus_wire.hpp"

#include <array>
#include <utility>

namespace vroom::server::janus {

namespace {

constexpr std::array<std::pair<ErrorCode, std::string_view>, 7> kErrorNames{{
    {ErrorCode::Timeout, "timeout"},
    {ErrorCode::Disconnected, "disconnected"},
    {ErrorCode::Stopped, "stopped"},
    {ErrorCode::Malformed, "malformed"},
    {ErrorCode::Janus, "janus"},
    {ErrorCode::Plugin, "plugin"},
    {ErrorCode::TooLarge, "too_large"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 8> kEventNames{{
    {EventKind::PluginEvent, "event"},
    {EventKind::WebrtcUp, "webrtcup"},
    {EventKind::Hangup, "hangup"},
    {EventKind::Detached, "detached"},
    {EventKind::SlowLink, "slowlink"},
    {EventKind::Media, "media"},
    {EventKind::Trickle, "trickle"},
    {EventKind::Timeout, "timeout"},
}};

std::string clipped(std::string text) {
  constexpr std::size_t kMax = 200;
  if (text.size() > kMax) text.resize(kMax);
  return text;
}

}  // namespace

// nlohmann parses recursively: deep nesting is refused before it sees the text.
bool nestingWithin(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool inString = false, escaped = false;
  for (const char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::string_view errorName(ErrorCode code) {
  for (const auto& [value, name] : kErrorNames)
    if (value == code) return name;
  return "unknown";
}

std::optional<std::uint64_t> getU64(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::uint64_t>();
}

std::optional<std::int64_t> getI64(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(INT64_MAX))
    return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<std::string> getString(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<bool> getBool(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const Json* getObject(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

const Json* getArray(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? &*it : nullptr;
}

JanusResult<Incoming> parseIncoming(std::string_view text) {
  if (!nestingWithin(text, kMaxJanusDepth))
    return failWith(ErrorCode::Malformed, "nesting too deep");
  Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object())
    return failWith(ErrorCode::Malformed, "not a JSON object");
  const auto kind = getString(root, "janus");
  if (!kind) return failWith(ErrorCode::Malformed, "no \"janus\" field");

  Incoming in;
  if (root.contains("transaction")) {
    auto transaction = getString(root, "transaction");
    if (!transaction) return failWith(ErrorCode::Malformed, "transaction is not a string");
    in.transaction = std::move(*transaction);
  }
  in.sessionId = getU64(root, "session_id").value_or(0);
  in.sender = getU64(root, "sender").value_or(0);
  if (const Json* plugin = getObject(root, "plugindata")) {
    const Json* data = getObject(*plugin, "data");
    if (!data) return failWith(ErrorCode::Malformed, "plugindata without data");
    in.pluginData = *data;
  }
  if (root.contains("jsep")) {
    const Json* jsep = getObject(root, "jsep");
    auto type = jsep ? getString(*jsep, "type") : std::nullopt;
    auto sdp = jsep ? getString(*jsep, "sdp") : std::nullopt;
    if (!type || !sdp) return failWith(ErrorCode::Malformed, "jsep without type and sdp");
    in.jsep = Jsep{std::move(*type), std::move(*sdp)};
  }

  if (*kind == "ack") {
    in.kind = Incoming::Kind::Ack;
  } else if (*kind == "success") {
    in.kind = Incoming::Kind::Success;
    if (const Json* data = getObject(root, "data")) in.data = *data;
  } else if (*kind == "error") {
    in.kind = Incoming::Kind::Error;
    const Json* error = getObject(root, "error");
    if (!error) return failWith(ErrorCode::Malformed, "error without details");
    in.error = Error{ErrorCode::Janus, static_cast<int>(getI64(*error, "code").value_or(0)),
                     clipped(getString(*error, "reason").value_or(""))};
  } else if (*kind == "server_info" || *kind == "pong") {
    in.kind = Incoming::Kind::Other;
  } else {
    bool known = false;
    for (const auto& [value, name] : kEventNames)
      if (name == *kind) {
        in.event = value;
        known = true;
      }
    if (!known)
      return failWith(ErrorCode::Malformed, "unknown janus message '" + clipped(*kind) + "'");
    in.kind = Incoming::Kind::Event;
    in.reason = clipped(getString(root, "reason").value_or(""));
    in.mediaType = getString(root, "type").value_or("");
    in.mid = getString(root, "mid").value_or("");
    in.receiving = getBool(root, "receiving").value_or(false);
    in.uplink = getBool(root, "uplink").value_or(false);
    in.lost = getU64(root, "lost").value_or(0);
    if (in.event == EventKind::PluginEvent && in.pluginData.is_null())
      return failWith(ErrorCode::Malformed, "event without plugindata");
  }
  return in;
}

}  // namespace vroom::server::janus
