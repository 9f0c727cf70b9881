// When to retry the signaling socket: exponential backoff with jitter so a server restart
// is not met by every client at the same instant, the first retry within 300 ms.
#pragma once

#include <cstdint>

#include "clock.hpp"

namespace vroom {

struct ReconnectConfig {
  std::int64_t initialDelayMs = 300;  // the first retry comes within this
  double multiplier = 2.0;
  // Capped low so a client is back within a few seconds of the server (a restart with
  // --state-file resumes everyone; the roster must be whole again within 5 s).
  std::int64_t maxDelayMs = 2500;
  double jitter = 0.5;   // a delay is drawn from [base * (1 - jitter), base]
  int maxAttempts = 55;  // >= 70 s of retries even at the shortest draws; then the session fails
                         // (0: never give up)
};

class ReconnectPolicy {
 public:
  explicit ReconnectPolicy(ReconnectConfig config = {}) : config_(config) {}

  // Delay before retry number `attempt` (1 for the first retry).
  std::int64_t delayMs(int attempt, Random& random) const;
  // The un-jittered ceiling of delayMs(attempt).
  std::int64_t baseDelayMs(int attempt) const;
  bool exhausted(int attempt) const {
    return config_.maxAttempts > 0 && attempt > config_.maxAttempts;
  }
  const ReconnectConfig& config() const { return config_; }

 private:
  ReconnectConfig config_;
};

}  // namespace vroom
