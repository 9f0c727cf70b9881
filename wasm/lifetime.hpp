// Lifetime: the one guard that drops callbacks arriving after their owner is gone (browser
// promises and events can settle late). An owner holds one and wraps each callback it hands out.
#pragma once

#include <memory>
#include <utility>

namespace vroom {

class Lifetime {
 public:
  Lifetime() = default;
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;

  // `f` as a callback that does nothing once this Lifetime has ended or been destroyed.
  template <class F>
  auto guard(F f) const {
    return [alive = std::weak_ptr<const bool>(alive_), f = std::move(f)](auto&&... args) {
      if (alive.expired()) return;
      f(std::forward<decltype(args)>(args)...);
    };
  }
  // Ends it early: every callback guarded so far is a no-op from here (a destructor that
  // still has work to do calls this first).
  void end() { alive_.reset(); }

 private:
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
};

}  // namespace vroom
