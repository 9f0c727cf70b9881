// Backoff arithmetic for ReconnectPolicy ("equal jitter": never zero, never above the base).
#include "reconnect_policy.hpp"

#include <algorithm>
#include <cmath>

namespace vroom {

std::int64_t ReconnectPolicy::baseDelayMs(int attempt) const {
  double base = static_cast<double>(config_.initialDelayMs);
  for (int i = 1; i < attempt && base < static_cast<double>(config_.maxDelayMs); ++i)
    base *= config_.multiplier;
  return static_cast<std::int64_t>(std::min(base, static_cast<double>(config_.maxDelayMs)));
}

std::int64_t ReconnectPolicy::delayMs(int attempt, Random& random) const {
  const double base = static_cast<double>(baseDelayMs(attempt));
  const double jitter = std::clamp(config_.jitter, 0.0, 1.0);
  const double draw = std::clamp(random.uniform(), 0.0, 1.0);
  return static_cast<std::int64_t>(std::llround(base * (1.0 - jitter * draw)));
}

}  // namespace vroom
