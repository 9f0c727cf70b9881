// Clock and Random for the browser: performance.now(), setTimeout and Math.random through
// Emscripten's event-loop API.
#pragma once

#include <memory>
#include <unordered_map>

#include "clock.hpp"

namespace vroom::bridge {

class WebClock final : public Clock {
 public:
  ~WebClock() override;
  std::int64_t nowMs() override;
  TimerId setTimeout(std::int64_t delayMs, std::function<void()> callback) override;
  void clearTimeout(TimerId id) override;

 private:
  struct Timer {
    WebClock* clock;
    TimerId id;
    long browserId;
    std::function<void()> callback;
  };
  static void fire(void* userData);

  TimerId next_ = 0;
  std::unordered_map<TimerId, std::unique_ptr<Timer>> timers_;
};

class WebRandom final : public Random {
 public:
  double uniform() override;
};

}  // namespace vroom::bridge
