// The log line formatter and writer (see log.hpp).
#include "log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "enum_names.hpp"

namespace vroom::server::log {

namespace {

std::atomic<Level> gLevel{Level::Info};

constexpr EnumName<Level> kLevelNames[] = {{Level::Debug, "debug"},
                                           {Level::Info, "info"},
                                           {Level::Warn, "warn"},
                                           {Level::Error, "error"},
                                           {Level::Off, "off"}};

std::string_view name(Level level) {
  return nameOf(kLevelNames, level, "off");
}

void appendValue(std::string& out, std::string_view value) {
  const bool plain =
      !value.empty() && value.find_first_of(" \"=\\\n\r\t") == std::string_view::npos;
  if (plain) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';  // no control bytes from a client reach the terminal
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

void setLevel(Level level) {
  gLevel = level;
}
bool enabled(Level level) {
  return level >= gLevel.load() && level != Level::Off;
}

std::optional<Level> levelFromString(std::string_view text) {
  return valueOf(kLevelNames, text);
}

std::string format(Level level, std::string_view event, std::initializer_list<Field> fields) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  std::string line = "ts=";
  line += stamp;
  line += " level=";
  line += name(level);
  line += " event=";
  appendValue(line, event);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    appendValue(line, value);
  }
  line += '\n';
  return line;
}

std::string clip(std::string_view value, std::size_t maxLength) {
  if (value.size() <= maxLength) return std::string(value);
  return std::string(value.substr(0, maxLength)) + "...(" + std::to_string(value.size()) +
         " bytes)";
}

bool RateLimit::allow(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed) {
  const std::lock_guard lock(mutex_);
  if (inWindow_ == 0 || now - windowStart_ >= interval_) {
    windowStart_ = now;
    inWindow_ = 0;
  }
  if (inWindow_ >= burst_) {
    ++suppressed_;
    return false;
  }
  ++inWindow_;
  suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  const std::string line = format(level, event, fields);
  // One write(2) per line keeps lines whole even if another thread logs too.
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace vroom::server::log
