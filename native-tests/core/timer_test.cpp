// Timer (a timeout that cancels itself), AwakeTimer (one counted in time the page was free)
// and Lifetime (callbacks dropped after their owner), over the fake clock.
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "awake_timer.hpp"
#include "fake_clock.hpp"
#include "lifetime.hpp"
#include "timer.hpp"

namespace vroom {
namespace {

using fakes::FakeClock;

TEST(Timer, FiresOnceAfterItsDelayAndIsIdleWhenItDoes) {
  FakeClock clock;
  Timer timer(clock);
  int fired = 0;
  bool pendingInside = true;
  timer.start(100, [&] {
    ++fired;
    pendingInside = timer.pending();
  });
  EXPECT_TRUE(timer.pending());
  clock.advance(99);
  EXPECT_EQ(fired, 0);
  clock.advance(1);
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(pendingInside);
  EXPECT_FALSE(timer.pending());
  clock.advance(1000);
  EXPECT_EQ(fired, 1);
}

TEST(Timer, StartingAgainReplacesThePendingTimeout) {
  FakeClock clock;
  Timer timer(clock);
  int first = 0, second = 0;
  timer.start(100, [&] { ++first; });
  clock.advance(50);
  timer.start(100, [&] { ++second; });
  clock.advance(60);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0);
  clock.advance(40);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(Timer, CancelAndDestructionClearTheTimeout) {
  FakeClock clock;
  int fired = 0;
  Timer cancelled(clock);
  cancelled.start(10, [&] { ++fired; });
  cancelled.cancel();
  EXPECT_FALSE(cancelled.pending());
  {
    Timer gone(clock);
    gone.start(10, [&] { ++fired; });
  }
  EXPECT_EQ(clock.pendingTimers(), 0u);
  clock.advance(100);
  EXPECT_EQ(fired, 0);
}

TEST(Timer, ItsCallbackMayStartItAgain) {
  FakeClock clock;
  Timer timer(clock);
  int fired = 0;
  std::function<void()> tick = [&] {
    if (++fired < 3) timer.start(10, tick);
  };
  timer.start(10, tick);
  clock.advance(100);
  EXPECT_EQ(fired, 3);
  EXPECT_FALSE(timer.pending());
}

TEST(AwakeTimer, OnAPageThatIsNotHeldUpItFallsDueWhenATimerWould) {
  FakeClock clock;
  AwakeTimer timer(clock);
  int fired = 0;
  timer.start(10000, [&] { ++fired; });
  clock.advance(9999);
  EXPECT_EQ(fired, 0);
  EXPECT_TRUE(timer.pending());
  clock.advance(1);
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(timer.pending());
  clock.advance(60000);
  EXPECT_EQ(fired, 1);
}

TEST(AwakeTimer, ALongTaskCountsAsOneLateTick) {
  FakeClock clock;
  AwakeTimer timer(clock);
  int fired = 0;
  timer.start(10000, [&] { ++fired; });
  clock.stall(30000);  // one task of 30 s: a plain Timer would fire as soon as it ends
  clock.runReady();
  EXPECT_EQ(fired, 0);
  // That task counted 1250 ms; the rest is counted as the page goes on.
  clock.advance(10000 - AwakeTimer::kMostPerTickMs - 1);
  EXPECT_EQ(fired, 0);
  clock.advance(1);
  EXPECT_EQ(fired, 1);
}

TEST(AwakeTimer, SlowTicksCountInFull) {
  // A hidden tab whose timers the browser runs once a second: every second counts.
  FakeClock clock;
  AwakeTimer timer(clock);
  int fired = 0;
  timer.start(3000, [&] { ++fired; });
  for (int i = 0; i < 3 && !fired; ++i) {
    clock.stall(1000);
    clock.runReady();
  }
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.now(), 3000);
}

TEST(AwakeTimer, StartReplacesCancelDropsAndTheCallbackMayStartItAgain) {
  FakeClock clock;
  AwakeTimer timer(clock);
  int first = 0, second = 0;
  timer.start(500, [&] { ++first; });
  clock.advance(300);
  timer.start(500, [&] {
    if (++second == 1) timer.start(100, [&] { ++second; });
  });
  clock.advance(499);
  EXPECT_EQ(second, 0);
  clock.advance(1);
  EXPECT_EQ(second, 1);
  clock.advance(100);
  EXPECT_EQ(second, 2);
  EXPECT_EQ(first, 0);
  timer.start(0, [&] { ++first; });
  timer.cancel();
  EXPECT_FALSE(timer.pending());
  clock.advance(1000);
  EXPECT_EQ(first, 0);
  timer.start(0, [&] { ++first; });
  clock.runReady();
  EXPECT_EQ(first, 1);
}

TEST(Lifetime, GuardedCallbacksRunWhileTheOwnerLivesAndNotAfter) {
  std::function<void(int)> callback;
  int sum = 0;
  {
    Lifetime lifetime;
    callback = lifetime.guard([&](int n) { sum += n; });
    callback(2);
    EXPECT_EQ(sum, 2);
  }
  callback(5);  // a promise settling after its owner went
  EXPECT_EQ(sum, 2);
}

TEST(Lifetime, EndDropsEveryCallbackGuardedSoFar) {
  Lifetime lifetime;
  int calls = 0;
  auto a = lifetime.guard([&] { ++calls; });
  auto b = lifetime.guard([&] { ++calls; });
  lifetime.end();
  a();
  b();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace vroom
