// Room passwords as the server keeps them: never in clear. Each password is stretched with
// PBKDF2-HMAC-SHA256 over its own random salt; a check is constant-time. Wrong guesses are
// limited per remote address (WrongPasswordLimit), before any hashing is spent on them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "token_bucket.hpp"

namespace vroom::server {

inline constexpr int kPasswordIterations = 20000;  // a few ms: one check stalls nobody
inline constexpr std::size_t kPasswordSaltBytes = 16;

struct PasswordHash {
  int iterations = kPasswordIterations;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes, 32
  bool operator==(const PasswordHash&) const = default;
};

PasswordHash hashPassword(std::string_view password);  // a fresh salt from getrandom(2)
bool verifyPassword(const PasswordHash& stored, std::string_view password);

// "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url): how the state file keeps it.
std::string encodePasswordHash(const PasswordHash& hash);
std::optional<PasswordHash> decodePasswordHash(std::string_view text);

// Wrong passwords per remote address: a burst of kBurst, then one every kRefill. An address
// over it gets `too_many_attempts` without its guess being checked.
class WrongPasswordLimit {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  static constexpr double kBurst = 5;
  static constexpr std::chrono::seconds kRefill{12};
  static const TokenBucket::Rate kRate;

  bool mayTry(const std::string& address, TimePoint now) const;
  void failed(const std::string& address, TimePoint now);
  void prune(TimePoint now);  // forgets addresses whose budget is whole again
  std::size_t size() const { return buckets_.size(); }

 private:
  struct Entry {
    TokenBucket bucket;
    TimePoint lastFailure;
  };
  std::unordered_map<std::string, Entry> buckets_;
};

}  // namespace vroom::server
