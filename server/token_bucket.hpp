// Per-connection message rate limit: a token bucket refilled continuously from the caller's
// clock, so the registry and its tests stay free of real time.
#pragma once

#include <algorithm>
#include <chrono>

namespace vroom::server {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // rate <= 0 disables the limit. The bucket starts full so a burst right after connecting
  // (hello, join, a batch of ICE candidates) is never refused.
  TokenBucket(double ratePerSecond, double burst, TimePoint now)
      : rate_(ratePerSecond), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

  // Spends one token if there is one.
  bool take(TimePoint now) {
    if (rate_ <= 0) return true;
    if (now > last_) {
      const double elapsed = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  TimePoint last_;
};

}  // namespace vroom::server
