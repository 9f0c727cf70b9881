// Backoff: first retry within 300 ms, growth, cap, jitter bounds, giving up.
#include "reconnect_policy.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

namespace vroom {
namespace {

TEST(ReconnectPolicy, DefaultFirstRetryIsWithinThreeHundredMs) {
  ReconnectPolicy policy;
  fakes::SeededRandom random(1);
  for (int i = 0; i < 1000; ++i) {
    const auto delay = policy.delayMs(1, random);
    EXPECT_LE(delay, 300);
    EXPECT_GE(delay, 150);
  }
}

TEST(ReconnectPolicy, GrowsGeometricallyUpToTheCap) {
  ReconnectPolicy policy({100, 2.0, 1000, 0.0, 0});
  fakes::FixedRandom random(0.7);
  const std::vector<std::int64_t> expected = {100, 200, 400, 800, 1000, 1000};
  for (int attempt = 1; attempt <= 6; ++attempt)
    EXPECT_EQ(policy.delayMs(attempt, random), expected[attempt - 1]) << attempt;
}

TEST(ReconnectPolicy, JitterStaysInItsBand) {
  ReconnectPolicy policy({1000, 2.0, 60000, 0.5, 0});
  for (double draw : {0.0, 0.25, 0.5, 0.999}) {
    fakes::FixedRandom random(draw);
    const auto delay = policy.delayMs(1, random);
    EXPECT_GE(delay, 500);
    EXPECT_LE(delay, 1000);
    EXPECT_EQ(delay, static_cast<std::int64_t>(std::llround(1000 * (1 - 0.5 * draw))));
  }
}

TEST(ReconnectPolicy, DefaultsComeBackWithinSecondsAndKeepTryingPastTheResumeWindow) {
  const ReconnectPolicy policy;
  double shortestTotalMs = 0;
  for (int attempt = 1; attempt <= policy.config().maxAttempts; ++attempt) {
    // However long the outage, the next try after the server returns is <= 2.5 s away.
    EXPECT_LE(policy.baseDelayMs(attempt), 2500) << "attempt " << attempt;
    shortestTotalMs += static_cast<double>(policy.baseDelayMs(attempt)) * (1 - policy.config().jitter);
  }
  // Even drawing the shortest delays, retries span more than the 60 s resume window.
  EXPECT_GT(shortestTotalMs, 60000);
  EXPECT_TRUE(policy.exhausted(policy.config().maxAttempts + 1));
}

TEST(ReconnectPolicy, GivesUpAfterMaxAttemptsUnlessUnlimited) {
  ReconnectPolicy limited({300, 2.0, 8000, 0.5, 3});
  EXPECT_FALSE(limited.exhausted(3));
  EXPECT_TRUE(limited.exhausted(4));
  ReconnectPolicy unlimited({300, 2.0, 8000, 0.5, 0});
  EXPECT_FALSE(unlimited.exhausted(1000000));
}

}  // namespace
}  // namespace vroom
