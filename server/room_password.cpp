// PBKDF2 through OpenSSL, salts from getrandom(2), the hash format of the state file, and the
// per-address limit on wrong guesses.
#include "room_password.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "join_token.hpp"  // base64url

namespace vroom::server {

namespace {

std::string derive(std::string_view password, const std::string& salt, int iterations) {
  std::string out(32, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string randomBytes(std::size_t count) {
  std::string out(count, '\0');
  std::size_t filled = 0;
  while (filled < count) {
    const ssize_t n = getrandom(out.data() + filled, count - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();  // a predictable salt would be worse than no server
    }
    filled += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace

PasswordHash hashPassword(std::string_view password) {
  PasswordHash out;
  out.salt = randomBytes(kPasswordSaltBytes);
  out.hash = derive(password, out.salt, out.iterations);
  return out;
}

bool verifyPassword(const PasswordHash& stored, std::string_view password) {
  if (stored.iterations < 1 || stored.hash.size() != 32) return false;
  const std::string candidate = derive(password, stored.salt, stored.iterations);
  return CRYPTO_memcmp(candidate.data(), stored.hash.data(), candidate.size()) == 0;
}

std::string encodePasswordHash(const PasswordHash& hash) {
  return "pbkdf2-sha256$" + std::to_string(hash.iterations) + "$" + base64UrlEncode(hash.salt) +
         "$" + base64UrlEncode(hash.hash);
}

std::optional<PasswordHash> decodePasswordHash(std::string_view text) {
  constexpr std::string_view kPrefix = "pbkdf2-sha256$";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  const auto a = text.find('$');
  const auto b = a == std::string_view::npos ? a : text.find('$', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const std::string_view iterations = text.substr(0, a);
  if (iterations.empty() || iterations.size() > 7 ||
      iterations.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  PasswordHash out;
  out.iterations = std::stoi(std::string(iterations));
  auto salt = base64UrlDecode(text.substr(a + 1, b - a - 1));
  auto hash = base64UrlDecode(text.substr(b + 1));
  if (out.iterations < 1 || !salt || !hash || hash->size() != 32) return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

const TokenBucket::Rate WrongPasswordLimit::kRate{1.0 / WrongPasswordLimit::kRefill.count(),
                                                 WrongPasswordLimit::kBurst};

bool WrongPasswordLimit::mayTry(const std::string& address, TimePoint now) const {
  const auto it = buckets_.find(address);
  if (it == buckets_.end()) return true;
  TokenBucket probe = it->second.bucket;  // looking costs nothing
  return probe.take(kRate, now);
}

void WrongPasswordLimit::failed(const std::string& address, TimePoint now) {
  auto it = buckets_.find(address);
  if (it == buckets_.end())
    it = buckets_.emplace(address, Entry{TokenBucket(kRate, now), now}).first;
  it->second.bucket.take(kRate, now);
  it->second.lastFailure = now;
}

void WrongPasswordLimit::prune(TimePoint now) {
  const auto whole = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      kRefill * static_cast<int>(kBurst));
  std::erase_if(buckets_,
                [&](const auto& entry) { return now - entry.second.lastFailure >= whole; });
}

}  // namespace vroom::server
