// Static file serving rules for the built web client: request target -> file under the site
// root (no traversal, encoded or not) and file -> MIME type. Codings, ETags and caching:
// site_files.hpp.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace vroom::server {

// The file a GET of `target` serves, or nullopt (404): the path is percent-decoded, `.` and
// empty segments are dropped, any `..`, backslash or NUL refuses the request, directories
// serve their index.html, and the result must stay inside `root` after resolving symlinks.
std::optional<std::filesystem::path> resolveStaticPath(const std::filesystem::path& root,
                                                       std::string_view target);

// "text/javascript" for .js/.mjs, "application/wasm" for .wasm, ...; octet-stream otherwise.
std::string_view mimeType(const std::filesystem::path& file);

// Percent-decoding of a URL path; nullopt for malformed escapes or an encoded NUL.
std::optional<std::string> percentDecode(std::string_view text);

}  // namespace vroom::server
