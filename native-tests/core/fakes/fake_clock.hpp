// FakeClock and SeededRandom: simulated time that only moves when a test says so, and a
// deterministic random source, so every test and every simulation seed replays exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <unordered_map>
#include <utility>

#include "clock.hpp"

namespace vroom::fakes {

class FakeClock : public Clock {
 public:
  std::int64_t nowMs() override { return now_; }

  TimerId setTimeout(std::int64_t delayMs, std::function<void()> callback) override {
    const TimerId id = nextId_++;
    const std::int64_t due = now_ + (delayMs < 0 ? 0 : delayMs);
    queue_.emplace(std::make_pair(due, id), std::move(callback));
    due_.emplace(id, due);
    return id;
  }

  void clearTimeout(TimerId id) override {
    auto it = due_.find(id);
    if (it == due_.end()) return;
    queue_.erase(std::make_pair(it->second, id));
    due_.erase(it);
  }

  // Runs the earliest timer, moving time to when it is due. False when none is pending.
  bool runOne() {
    if (queue_.empty()) return false;
    auto it = queue_.begin();
    now_ = std::max(now_, it->first.first);
    auto callback = std::move(it->second);
    due_.erase(it->first.second);
    queue_.erase(it);
    callback();
    return true;
  }

  // Runs every timer due within `ms` (including ones those timers schedule), then sets the
  // time to now + ms.
  void advance(std::int64_t ms) {
    const std::int64_t end = now_ + ms;
    while (!queue_.empty() && queue_.begin()->first.first <= end) runOne();
    now_ = end;
  }

  // The page ran one task of `ms`: time moves and nothing else runs (timers that fell due
  // meanwhile run at the next advance, runReady or runOne).
  void stall(std::int64_t ms) { now_ += ms; }

  // Runs only what is due now (zero-delay tasks), without moving time.
  void runReady() { advance(0); }

  // Runs timers until none is left or `limitMs` of simulated time passed. Returns true when
  // the queue drained.
  bool runUntilIdle(std::int64_t limitMs = 600000) {
    const std::int64_t end = now_ + limitMs;
    while (!queue_.empty() && queue_.begin()->first.first <= end) runOne();
    return queue_.empty();
  }

  std::int64_t now() const { return now_; }
  std::size_t pendingTimers() const { return queue_.size(); }
  std::int64_t nextDueMs() const { return queue_.empty() ? -1 : queue_.begin()->first.first; }

 private:
  std::int64_t now_ = 0;
  TimerId nextId_ = 1;
  std::map<std::pair<std::int64_t, TimerId>, std::function<void()>> queue_;
  std::unordered_map<TimerId, std::int64_t> due_;
};

class SeededRandom : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  double uniform() override { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

// Always the same value: for tests that pin the jitter.
class FixedRandom : public Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform() override { return value_; }
  void set(double value) { value_ = value; }

 private:
  double value_;
};

}  // namespace vroom::fakes
