// Structured one-line logs on stderr: `ts=... level=info event=listening key=value ...`,
// so a log shipper can split them without a grammar.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vroom::server::log {

enum class Level { Debug, Info, Warn, Error, Off };

void setLevel(Level level);
bool enabled(Level level);
std::optional<Level> levelFromString(std::string_view text);

using Field = std::pair<std::string_view, std::string>;

// Values with spaces, quotes or `=` are quoted and escaped; one write per line.
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});
std::string format(Level level, std::string_view event, std::initializer_list<Field> fields);

// At most `maxLength` bytes of a value taken from a peer, marked when cut, so one request
// cannot make a multi-kilobyte log line.
std::string clip(std::string_view value, std::size_t maxLength = 128);

// Lets through `burst` lines per `interval` of one noisy event (refused origins, refused
// connections, failed accepts); the rest are counted and the count is reported, as
// `suppressed=N`, on the next line let through. Safe to call from any io thread.
class RateLimit {
 public:
  RateLimit(std::chrono::milliseconds interval, std::size_t burst)
      : interval_(interval), burst_(burst) {}
  // True when this line may be written; `suppressed` is then the number dropped before it.
  bool allow(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed);

 private:
  std::mutex mutex_;
  std::chrono::milliseconds interval_;
  std::size_t burst_;
  std::chrono::steady_clock::time_point windowStart_{};
  std::size_t inWindow_ = 0;
  std::uint64_t suppressed_ = 0;
};

inline void debug(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::Debug, e, f);
}
inline void info(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::Info, e, f);
}
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::Warn, e, f);
}
inline void error(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::Error, e, f);
}

}  // namespace vroom::server::log
