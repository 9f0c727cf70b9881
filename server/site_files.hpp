// The built site as the server sends it: which representation of a file answers a request
// (its .br or .gz sibling when the client accepts that coding), a strong ETag per
// representation, and how long a browser may keep it. Content hashes are computed when a
// file is first served and again only when its size or modification time changes.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http_negotiation.hpp"

namespace vroom::server {

// A name with a content hash, `vroom.1a2b3c4d.wasm`, never changes meaning; anything else is
// revalidated on every use (the browser keeps it and asks with If-None-Match).
inline constexpr std::string_view kCacheImmutable = "public, max-age=31536000, immutable";
inline constexpr std::string_view kCacheRevalidate = "no-cache";

struct StaticResponse {
  enum class Status { Ok, NotFound, NotAcceptable };
  Status status = Status::NotFound;
  std::filesystem::path file;    // the representation's bytes on disk
  std::string_view contentType;  // the resource's type, whatever the coding
  ContentCoding coding = ContentCoding::Identity;
  std::string etag;  // quoted, strong: a hash of exactly the bytes sent
  std::string_view cacheControl;
  bool varies = false;  // another coding exists: the response carries Vary: Accept-Encoding
};

class SiteFiles {
 public:
  explicit SiteFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // What a GET or HEAD of `target` sends. A precompressed sibling (`x.br` beside `x`) is no
  // resource of its own: asked for by name, it is not found.
  StaticResponse lookup(std::string_view target, std::optional<std::string_view> acceptEncoding);

  // How many files have been hashed since the server started (a test sees the cache work).
  std::uint64_t hashesComputed() const { return hashesComputed_; }

 private:
  // Lowercase hex SHA-256 of the file's bytes, or nullopt when it cannot be read.
  std::optional<std::string> contentHash(const std::filesystem::path& file);

  struct Hashed {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    std::string hex;
  };
  std::filesystem::path root_;
  std::mutex hashesMutex_;                          // lookup() runs on every io thread
  std::unordered_map<std::string, Hashed> hashes_;  // by canonical path
  std::atomic<std::uint64_t> hashesComputed_ = 0;
};

// Whether `name` is `<stem>.<first 8 hex digits of hex>.<ext>`: the name states its content,
// so it may be cached for good. bridge/package_site.mjs names the module and wasm this way.
bool isContentHashedName(std::string_view name, std::string_view hex);

}  // namespace vroom::server
