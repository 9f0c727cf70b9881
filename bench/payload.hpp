// The 200-byte signal payload every protocol carries, with a steady-clock send stamp that the
// receiving client reads back to measure relay latency; and the abuse run's heavy data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vroom::bench {

inline constexpr std::size_t kPayloadBytes = 200;
inline constexpr std::size_t kStampDigits = 20;
// The stamp is a fixed-width decimal string so a frame template is stamped in place.
inline constexpr std::string_view kStampKey = "\"t\":\"";

// {"t":"000…0","p":"xxx…"}: exactly kPayloadBytes of JSON, stamp zero.
std::string makePayload();
// Offset of the stamp digits inside `frame`, or npos when it carries no payload.
std::size_t stampOffset(std::string_view frame);
void writeStamp(std::string& frame, std::size_t offset, std::uint64_t nanos);
// The stamp of a received frame (servers re-serialise, so it is searched, not assumed).
std::optional<std::uint64_t> readStamp(std::string_view frame);
std::uint64_t steadyNanos();
// A signal's data as costly as the server's limits allow: about `bytes` of JSON nested to the
// depth cap. What the abusive clients of the abuse run send.
std::string makeHeavyData(std::size_t bytes);

}  // namespace vroom::bench
