// Payload building and stamping: the hot path of the generator, so no JSON parsing here.
#include "payload.hpp"

#include <chrono>

namespace vroom::bench {

std::string makePayload() {
  std::string payload = "{\"t\":\"" + std::string(kStampDigits, '0') + "\",\"p\":\"";
  const std::size_t closing = 2;  // "}
  payload.append(kPayloadBytes - payload.size() - closing, 'x');
  payload += "\"}";
  return payload;
}

std::size_t stampOffset(std::string_view frame) {
  const std::size_t at = frame.find(kStampKey);
  if (at == std::string_view::npos || at + kStampKey.size() + kStampDigits > frame.size())
    return std::string_view::npos;
  return at + kStampKey.size();
}

void writeStamp(std::string& frame, std::size_t offset, std::uint64_t nanos) {
  for (std::size_t i = kStampDigits; i-- > 0;) {
    frame[offset + i] = static_cast<char>('0' + nanos % 10);
    nanos /= 10;
  }
}

std::optional<std::uint64_t> readStamp(std::string_view frame) {
  const std::size_t offset = stampOffset(frame);
  if (offset == std::string_view::npos) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kStampDigits; ++i) {
    const char c = frame[offset + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::uint64_t steadyNanos() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

// Arrays nested to the depth cap of 32 (message, data and "x" are three levels; each block adds
// 29), repeated until the data is about `bytes` long.
std::string makeHeavyData(std::size_t bytes) {
  const std::string block = std::string(29, '[') + std::string(29, ']');
  std::string data = "{\"x\":[" + block;
  while (data.size() + block.size() + 3 < bytes) data += "," + block;
  return data + "]}";
}

}  // namespace vroom::bench
