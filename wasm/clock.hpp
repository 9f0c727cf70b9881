// Time and randomness as seams: the browser supplies performance.now()/setTimeout and
// Math.random, tests and the simulation supply fake time and a seeded generator.
#pragma once

#include <cstdint>
#include <functional>

namespace vroom {

using TimerId = std::uint64_t;
inline constexpr TimerId kNoTimer = 0;

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic milliseconds; only differences are meaningful.
  virtual std::int64_t nowMs() = 0;
  // Runs `callback` once after `delayMs` from the event loop (never re-entrantly from inside
  // this call). Returns an id that is never kNoTimer.
  virtual TimerId setTimeout(std::int64_t delayMs, std::function<void()> callback) = 0;
  // Unknown or already-fired ids are ignored.
  virtual void clearTimeout(TimerId id) = 0;
};

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, 1).
  virtual double uniform() = 0;
};

}  // namespace vroom
