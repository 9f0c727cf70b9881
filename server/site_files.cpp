// Representation choice, ETags and caching of the built site (see site_files.hpp).
#include "site_files.hpp"

#include <array>
#include <fstream>
#include <memory>
#include <system_error>

#include <openssl/evp.h>

#include "static_files.hpp"

namespace vroom::server {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kEtagHexDigits = 32;  // 128 bits of the SHA-256
constexpr std::size_t kNameHashDigits = 8;

bool isRegularFile(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec);
}

std::string siblingPath(const fs::path& file, ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Brotli:
      return file.string() + ".br";
    case ContentCoding::Gzip:
      return file.string() + ".gz";
    case ContentCoding::Identity:
      break;
  }
  return file.string();
}

bool isHex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

bool isContentHashedName(std::string_view name, std::string_view hex) {
  const auto lastDot = name.rfind('.');
  if (lastDot == std::string_view::npos || lastDot == 0) return false;
  const auto hashDot = name.rfind('.', lastDot - 1);
  if (hashDot == std::string_view::npos || hashDot == 0) return false;
  const std::string_view inName = name.substr(hashDot + 1, lastDot - hashDot - 1);
  return inName.size() == kNameHashDigits && isHex(inName) && hex.size() >= kNameHashDigits &&
         hex.substr(0, kNameHashDigits) == inName;
}

std::optional<std::string> SiteFiles::contentHash(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  const auto modified = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  {
    const std::lock_guard lock(hashesMutex_);
    const auto found = hashes_.find(file.string());
    if (found != hashes_.end() && found->second.size == size && found->second.modified == modified)
      return found->second.hex;
  }

  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return std::nullopt;
  std::array<char, 64 * 1024> chunk;
  while (in) {
    in.read(chunk.data(), chunk.size());
    if (in.gcount() > 0)
      EVP_DigestUpdate(ctx.get(), chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) return std::nullopt;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 0xf]);
  }
  ++hashesComputed_;
  const std::lock_guard lock(hashesMutex_);  // two threads may hash one file: the same result
  hashes_[file.string()] = Hashed{size, modified, hex};
  return hex;
}

StaticResponse SiteFiles::lookup(std::string_view target,
                                 std::optional<std::string_view> acceptEncoding) {
  StaticResponse out;
  const auto file = resolveStaticPath(root_, target);
  if (!file) return out;
  const std::string extension = file->extension().string();
  if ((extension == ".br" || extension == ".gz") &&
      isRegularFile(fs::path(*file).replace_extension()))
    return out;  // a precompressed sibling: served only through Accept-Encoding

  const bool haveBrotli = isRegularFile(siblingPath(*file, ContentCoding::Brotli));
  const bool haveGzip = isRegularFile(siblingPath(*file, ContentCoding::Gzip));
  const auto coding = chooseCoding(acceptEncoding, haveBrotli, haveGzip);
  if (!coding) {
    out.status = StaticResponse::Status::NotAcceptable;
    return out;
  }
  const auto identityHash = contentHash(*file);
  out.file = siblingPath(*file, *coding);
  const auto sentHash = *coding == ContentCoding::Identity ? identityHash : contentHash(out.file);
  if (!identityHash || !sentHash) return out;

  out.status = StaticResponse::Status::Ok;
  out.contentType = mimeType(*file);
  out.coding = *coding;
  out.etag = "\"" + sentHash->substr(0, kEtagHexDigits) + "\"";
  out.cacheControl = isContentHashedName(file->filename().string(), *identityHash)
                         ? kCacheImmutable
                         : kCacheRevalidate;
  out.varies = haveBrotli || haveGzip;
  return out;
}

}  // namespace vroom::server
