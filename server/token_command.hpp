// `vroom-server token ...`: mints a join token from the command line (what a product's
// backend does with any JWT library), for scripts, tests and trying tokens out.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace vroom::server {

// "90", "90s", "30m", "2h", "7d" -> seconds; nullopt for anything else (or zero).
std::optional<std::chrono::seconds> parseDuration(std::string_view text);

// argv[0] is "token". Prints the token (and a newline) to `out`; help to `out`; errors to
// `err`. Returns the exit status: 0, or 2 for bad options. `nowUnix` is the time to sign at.
int runTokenCommand(int argc, const char* const argv[], std::ostream& out, std::ostream& err,
                    std::int64_t nowUnix);

}  // namespace vroom::server
