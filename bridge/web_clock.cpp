// Timers own their callback until they fire or are cleared; a destroyed clock clears all.
#include "web_clock.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>

namespace vroom::bridge {

WebClock::~WebClock() {
  for (auto& [id, timer] : timers_) emscripten_clear_timeout(timer->browserId);
}

std::int64_t WebClock::nowMs() {
  return static_cast<std::int64_t>(emscripten_get_now());
}

TimerId WebClock::setTimeout(std::int64_t delayMs, std::function<void()> callback) {
  const TimerId id = ++next_;
  auto timer = std::make_unique<Timer>(Timer{this, id, 0, std::move(callback)});
  timer->browserId = emscripten_set_timeout(
      &WebClock::fire, static_cast<double>(delayMs < 0 ? 0 : delayMs), timer.get());
  timers_.emplace(id, std::move(timer));
  return id;
}

void WebClock::clearTimeout(TimerId id) {
  const auto it = timers_.find(id);
  if (it == timers_.end()) return;
  emscripten_clear_timeout(it->second->browserId);
  timers_.erase(it);
}

void WebClock::fire(void* userData) {
  auto* timer = static_cast<Timer*>(userData);
  WebClock* clock = timer->clock;
  const auto it = clock->timers_.find(timer->id);
  if (it == clock->timers_.end()) return;
  std::function<void()> callback = std::move(it->second->callback);
  clock->timers_.erase(it);  // before running: the callback may set new timers
  callback();
}

double WebRandom::uniform() {
  return emscripten_random();
}

}  // namespace vroom::bridge
