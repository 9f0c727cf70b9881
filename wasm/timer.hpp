// Timer: one timeout on the Clock seam that cancels itself. Starting it again replaces the
// pending timeout, and cancel() and the destructor clear it, so no owner writes
// `if (id != kNoTimer) clock.clearTimeout(id)` and no callback outlives its owner.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

#include "clock.hpp"

namespace vroom {

class Timer {
 public:
  explicit Timer(Clock& clock) : clock_(clock) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Runs `callback` once after `delayMs`, replacing a pending one. The timer is idle again
  // when the callback runs, so the callback may start it anew.
  void start(std::int64_t delayMs, std::function<void()> callback) {
    cancel();
    id_ = clock_.setTimeout(delayMs, [this, callback = std::move(callback)] {
      id_ = kNoTimer;
      callback();
    });
  }
  void cancel() {
    if (id_ != kNoTimer) clock_.clearTimeout(id_);
    id_ = kNoTimer;
  }
  bool pending() const { return id_ != kNoTimer; }

 private:
  Clock& clock_;
  TimerId id_ = kNoTimer;
};

}  // namespace vroom
