// MessageBudget: what a connection may send, as two token buckets, messages and bytes,
// refilled together from the caller's clock (16 bytes a connection, as one bucket was).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace vroom::server {

class MessageBudget {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // Kept once by the registry for all its connections. A rate <= 0 lifts that limit.
  struct Rate {
    double messagesPerSecond = 0;
    double messageBurst = 1;
    double bytesPerSecond = 0;
    double byteBurst = 1;
  };

  // Both buckets start full: a burst right after connecting (hello, join, the offers and ICE
  // candidates for every room mate) is never refused.
  MessageBudget(const Rate& rate, TimePoint now)
      : messages_(static_cast<float>(rate.messageBurst)),
        bytes_(static_cast<float>(rate.byteBurst)),
        last_(now) {}

  // Spends one message and `bytes`, or nothing when either bucket is short of them.
  bool take(const Rate& rate, TimePoint now, std::size_t bytes) {
    if (now > last_) {
      const double elapsed = std::chrono::duration<double>(now - last_).count();
      messages_ = refill(messages_, elapsed, rate.messagesPerSecond, rate.messageBurst);
      bytes_ = refill(bytes_, elapsed, rate.bytesPerSecond, rate.byteBurst);
      last_ = now;
    }
    const bool messageOk = rate.messagesPerSecond <= 0 || messages_ >= 1.0F;
    const bool bytesOk = rate.bytesPerSecond <= 0 || bytes_ >= static_cast<float>(bytes);
    if (!messageOk || !bytesOk) return false;
    if (rate.messagesPerSecond > 0) messages_ -= 1.0F;
    if (rate.bytesPerSecond > 0) bytes_ -= static_cast<float>(bytes);
    return true;
  }

 private:
  static float refill(float tokens, double elapsed, double perSecond, double burst) {
    return static_cast<float>(std::min(burst, static_cast<double>(tokens) + elapsed * perSecond));
  }

  // Floats, so both levels and the time fit in 16 bytes: 24 bits of mantissa hold a byte
  // burst up to 16 MiB exactly.
  float messages_;
  float bytes_;
  TimePoint last_;
};

}  // namespace vroom::server
