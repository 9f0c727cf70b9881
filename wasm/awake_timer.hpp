// AwakeTimer: a timeout counted in the time the page was free to hear an answer. A page busy
// in one long task (a slow or overloaded machine, a tab the browser froze) reads what its
// socket received only after that task; a plain Timer that fell due meanwhile runs first and
// gives up on a server that had answered. This one counts in ticks, and a tick that comes late
// counts as kMostPerTickMs at most, so what arrived during a long task is read before the
// timeout falls due. On a page that is not held up it falls due when a Timer would.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

#include "clock.hpp"
#include "timer.hpp"

namespace vroom {

class AwakeTimer {
 public:
  static constexpr std::int64_t kTickMs = 250;
  // A tick late by more counts as this much: a browser that throttles a hidden tab's timers
  // to one a second still counts each second in full.
  static constexpr std::int64_t kMostPerTickMs = 1250;

  explicit AwakeTimer(Clock& clock) : clock_(clock), tick_(clock) {}
  AwakeTimer(const AwakeTimer&) = delete;
  AwakeTimer& operator=(const AwakeTimer&) = delete;

  // Runs `callback` once `delayMs` of awake time has passed, replacing a pending one. The
  // timer is idle again when the callback runs, so the callback may start it anew.
  void start(std::int64_t delayMs, std::function<void()> callback) {
    leftMs_ = std::max<std::int64_t>(0, delayMs);
    callback_ = std::move(callback);
    tickFrom(clock_.nowMs());
  }
  void cancel() {
    tick_.cancel();
    callback_ = nullptr;
  }
  bool pending() const { return tick_.pending(); }

 private:
  void tickFrom(std::int64_t since) {
    tick_.start(std::min(leftMs_, kTickMs), [this, since] {
      const std::int64_t now = clock_.nowMs();
      leftMs_ -= std::clamp<std::int64_t>(now - since, 0, kMostPerTickMs);
      if (leftMs_ > 0) return tickFrom(now);
      auto callback = std::move(callback_);
      callback_ = nullptr;
      callback();
    });
  }

  Clock& clock_;
  Timer tick_;
  std::int64_t leftMs_ = 0;
  std::function<void()> callback_;
};

}  // namespace vroom
