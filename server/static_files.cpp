// Static file resolution and MIME types (see static_files.hpp for the rules).
#include "static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

namespace vroom::server {

namespace fs = std::filesystem;

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isInside(const fs::path& file, const fs::path& root) {
  const auto [rootEnd, fileIt] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return rootEnd == root.end();
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hexValue(text[i + 1]);
    const int lo = hexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return std::nullopt;
    out.push_back(c);
    i += 2;
  }
  return out;
}

std::optional<fs::path> resolveStaticPath(const fs::path& root, std::string_view target) {
  const auto cut = target.find_first_of("?#");
  if (cut != std::string_view::npos) target = target.substr(0, cut);
  if (target.empty() || target.front() != '/') return std::nullopt;
  const auto decoded = percentDecode(target);
  if (!decoded) return std::nullopt;

  fs::path relative;
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == ".." || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos)
      return std::nullopt;
    relative /= std::string(segment);
  }

  std::error_code ec;
  const fs::path canonicalRoot = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  fs::path file = canonicalRoot / relative;
  if (fs::is_directory(file, ec)) file /= "index.html";
  const fs::path canonicalFile = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(canonicalFile, ec)) return std::nullopt;
  // A symlink inside the site must not lead out of it.
  if (!isInside(canonicalFile, canonicalRoot)) return std::nullopt;
  return canonicalFile;
}

std::string_view mimeType(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".ts", "application/typescript; charset=utf-8"},  // .d.ts typings beside vroom.mjs
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
      {".data", "application/octet-stream"},
  }};
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [suffix, type] : kTypes)
    if (ext == suffix) return type;
  return "application/octet-stream";
}

}  // namespace vroom::server
