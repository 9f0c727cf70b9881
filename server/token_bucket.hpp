// Per-connection message rate limit: a token bucket refilled continuously from the caller's
// clock, so the registry and its tests stay free of real time.
#pragma once

#include <algorithm>
#include <chrono>

namespace vroom::server {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // What refills a bucket: kept once by whoever owns many buckets of the same limit (the
  // registry, one per connection), not in every bucket. perSecond <= 0 disables the limit.
  struct Rate {
    double perSecond = 0;
    double burst = 1;
    Rate(double ratePerSecond, double burstSize)
        : perSecond(ratePerSecond), burst(std::max(burstSize, 1.0)) {}
  };

  // The bucket starts full so a burst right after connecting (hello, join, a batch of ICE
  // candidates) is never refused.
  TokenBucket(const Rate& rate, TimePoint now) : tokens_(rate.burst), last_(now) {}

  // Spends one token if there is one; `rate` is the one the bucket was made with.
  bool take(const Rate& rate, TimePoint now) {
    if (rate.perSecond <= 0) return true;
    if (now > last_) {
      const double elapsed = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(rate.burst, tokens_ + elapsed * rate.perSecond);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double tokens_;
  TimePoint last_;
};

}  // namespace vroom::server
