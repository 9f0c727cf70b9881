// The server's reading of client messages: one bounded pass over the text validates the JSON
// and keeps only what the rules read, so no DOM is ever built of attacker-controlled nesting.
// A signal's opaque `data` is relayed as the bytes it arrived as, with `from` spliced in.
#pragma once

#include <string>
#include <string_view>

#include "protocol.hpp"

namespace vroom::protocol {

struct ClientEnvelope {
  // A well-formed signal (type "signal", a non-empty string `to`, an object `data`).
  bool isSignal = false;
  std::string to;
  std::string_view data;  // the raw JSON text of `data`: a view into the scanned text
  // Any other message: the same object with unknown fields dropped and containers where the
  // protocol has none replaced by null (the last of duplicated keys kept). It is small and
  // flat, and decode(pruned, Sender::Client) answers exactly as decode(text, ...) would.
  std::string pruned;
};

// What decode(text, Sender::Client, limits) refuses is refused here with the same code and
// message (size, UTF-8, NUL, depth, JSON grammar, root not an object, no string `type`).
// Cost: linear in the text, with recursion bounded by kMaxJsonDepth.
Result<ClientEnvelope, DecodeError> scanClient(std::string_view text, const Limits& limits);

// The message for a scanned envelope: the signal's Message, or decode(pruned) (size checked).
Result<Message, DecodeError> decodeScanned(const ClientEnvelope& envelope, const Limits& limits);

// The relayed signal as encode(Signal{.from = from, .data = data}) writes it, key for key,
// with rawData (an already validated JSON object) copied verbatim.
std::string encodeSignalFrame(std::string_view from, std::string_view rawData);

// Appends `text` as a JSON string literal (quotes included; text must be valid UTF-8).
void appendJsonString(std::string& out, std::string_view text);

}  // namespace vroom::protocol
