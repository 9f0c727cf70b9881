// Structured one-line logs on stderr: `ts=... level=info event=listening key=value ...`,
// so a log shipper can split them without a grammar.
#pragma once

#include <initializer_list>
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
