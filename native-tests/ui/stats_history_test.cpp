// StatsHistory: rates from cumulative counters, resets and odd clocks, the quality table,
// the 60-point window and retain().
#include "stats_history.hpp"

#include <cctype>
#include <cmath>

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

PeerStats counters(std::uint64_t bytesIn, std::uint64_t bytesOut, std::uint64_t packetsIn = 0,
                   std::uint64_t lost = 0) {
  PeerStats s;
  s.bytesReceived = bytesIn;
  s.bytesSent = bytesOut;
  s.packetsReceived = packetsIn;
  s.packetsLost = lost;
  s.packetsSent = bytesOut / 1000;
  return s;
}

TEST(StatsHistory, FirstSampleOnlySetsTheBaseline) {
  StatsHistory h;
  EXPECT_EQ(h.series("a"), nullptr);
  EXPECT_EQ(h.latest("a"), nullptr);
  EXPECT_EQ(h.quality("a"), Quality::Unknown);
  h.add("a", 1000, counters(5000, 5000));
  ASSERT_NE(h.series("a"), nullptr);
  EXPECT_TRUE(h.series("a")->empty());
  ASSERT_NE(h.latest("a"), nullptr);
  EXPECT_EQ(h.latest("a")->bytesReceived, 5000u);
  EXPECT_EQ(h.quality("a"), Quality::Unknown);
}

TEST(StatsHistory, RatesComeFromDeltasOverElapsedTime) {
  StatsHistory h;
  PeerStats a = counters(0, 0, 0, 0);
  PeerStats b = counters(125'000, 62'500, 990, 10);  // 1 Mbit in, 500 kbit out over 1 s
  b.roundTripTimeMs = 42;
  b.jitterMs = 7;
  b.framesPerSecond = 29.5;
  b.frameWidth = 1280;
  b.frameHeight = 720;
  h.add("a", 10'000, a);
  h.add("a", 11'000, b);
  const auto* s = h.series("a");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->size(), 1u);
  const StatsPoint& p = s->back();
  EXPECT_DOUBLE_EQ(p.tMs, 11'000);
  EXPECT_FLOAT_EQ(p.kbpsIn, 1000.0f);
  EXPECT_FLOAT_EQ(p.kbpsOut, 500.0f);
  EXPECT_FLOAT_EQ(p.lossPercent, 1.0f);  // 10 of 1000
  EXPECT_FLOAT_EQ(p.rttMs, 42.0f);
  EXPECT_FLOAT_EQ(p.jitterMs, 7.0f);
  EXPECT_FLOAT_EQ(p.fps, 29.5f);
  EXPECT_EQ(p.width, 1280);
  EXPECT_EQ(p.height, 720);

  // A two-second gap halves the rate of the same byte delta.
  PeerStats c = b;
  c.bytesReceived += 125'000;
  h.add("a", 13'000, c);
  EXPECT_FLOAT_EQ(h.series("a")->back().kbpsIn, 500.0f);
}

TEST(StatsHistory, FpsFallsBackToDecodedFrames) {
  StatsHistory h;
  PeerStats a, b;
  a.framesDecoded = 100;
  b.framesDecoded = 124;  // 24 frames in 0.8 s
  h.add("a", 0, a);
  h.add("a", 800, b);
  EXPECT_FLOAT_EQ(h.series("a")->back().fps, 30.0f);
}

TEST(StatsHistory, ShrinkingLossCountsAsNoLoss) {
  StatsHistory h;
  h.add("a", 0, counters(0, 0, 100, 9));
  h.add("a", 1000, counters(1000, 0, 200, 7));  // duplicates arrived late: lost went down
  EXPECT_FLOAT_EQ(h.series("a")->back().lossPercent, 0.0f);
}

TEST(StatsHistory, CounterResetStartsANewBaseline) {
  StatsHistory h;
  h.add("a", 0, counters(500'000, 500'000, 5000));
  h.add("a", 1000, counters(625'000, 500'000, 6000));
  ASSERT_EQ(h.series("a")->size(), 1u);
  // The browser recreated the connection: counters restart near zero.
  h.add("a", 2000, counters(1000, 1000, 10));
  EXPECT_EQ(h.series("a")->size(), 1u) << "no point across a reset";
  EXPECT_EQ(h.latest("a")->bytesReceived, 1000u);
  h.add("a", 3000, counters(126'000, 1000, 1010));
  ASSERT_EQ(h.series("a")->size(), 2u);
  EXPECT_FLOAT_EQ(h.series("a")->back().kbpsIn, 1000.0f) << "measured from the new baseline";
}

TEST(StatsHistory, EachResettingCounterIsDetected) {
  const PeerStats base = [] {
    PeerStats s = counters(1000, 1000, 100);
    s.packetsSent = 100;
    return s;
  }();
  for (int field = 0; field < 4; ++field) {
    PeerStats next = base;
    switch (field) {
      case 0:
        next.bytesSent = 1;
        break;
      case 1:
        next.bytesReceived = 1;
        break;
      case 2:
        next.packetsSent = 1;
        break;
      case 3:
        next.packetsReceived = 1;
        break;
    }
    EXPECT_TRUE(countersReset(base, next)) << "field " << field;
  }
  EXPECT_FALSE(countersReset(base, base));
  PeerStats lostLess = base;
  lostLess.packetsLost = 0;
  EXPECT_FALSE(countersReset(counters(1000, 1000, 100, 5), lostLess));
}

TEST(StatsHistory, DuplicateAndBackwardTimesAddNoPoint) {
  StatsHistory h;
  h.add("a", 5000, counters(0, 0));
  h.add("a", 5000, counters(1000, 1000));  // same poll time: nothing to divide by
  EXPECT_TRUE(h.series("a")->empty());
  EXPECT_EQ(h.latest("a")->bytesReceived, 1000u) << "latest still follows";
  h.add("a", 4000, counters(2000, 2000));  // clock went back: rebase
  EXPECT_TRUE(h.series("a")->empty());
  h.add("a", 5000, counters(2000 + 125'000, 2000));
  ASSERT_EQ(h.series("a")->size(), 1u);
  EXPECT_FLOAT_EQ(h.series("a")->back().kbpsIn, 1000.0f);
  for (const StatsPoint& p : *h.series("a")) {
    EXPECT_TRUE(std::isfinite(p.kbpsIn));
    EXPECT_GE(p.kbpsIn, 0.0f);
  }
}

TEST(StatsHistory, KeepsTheLastSixtyPoints) {
  StatsHistory h;
  for (int i = 0; i <= 100; ++i)
    h.add("a", i * 1000.0, counters(static_cast<std::uint64_t>(i) * 1000, 0));
  const auto* s = h.series("a");
  ASSERT_EQ(s->size(), kMaxStatsPoints);
  EXPECT_DOUBLE_EQ(s->front().tMs, 41'000);
  EXPECT_DOUBLE_EQ(s->back().tMs, 100'000);
}

TEST(StatsHistory, RetainForgetsPeersThatLeft) {
  StatsHistory h;
  for (const char* id : {"a", "b", "c"}) h.add(id, 0, counters(0, 0));
  EXPECT_EQ(h.peerCount(), 3u);
  h.retain({"b", "zzz"});
  EXPECT_EQ(h.peerCount(), 1u);
  EXPECT_EQ(h.series("a"), nullptr);
  EXPECT_NE(h.series("b"), nullptr);
  EXPECT_EQ(h.latest("c"), nullptr);
  h.retain({});
  EXPECT_EQ(h.peerCount(), 0u);
}

TEST(StatsHistory, PeersAreIndependent) {
  StatsHistory h;
  h.add("a", 0, counters(0, 0));
  h.add("b", 0, counters(0, 0));
  h.add("a", 1000, counters(125'000, 0));
  h.add("b", 1000, counters(12'500, 0));
  EXPECT_FLOAT_EQ(h.series("a")->back().kbpsIn, 1000.0f);
  EXPECT_FLOAT_EQ(h.series("b")->back().kbpsIn, 100.0f);
}

struct QualityCase {
  const char* name;
  float loss, rtt, jitter, fps;
  int width;  // 0: audio only
  Quality expected;
};

class QualityRule : public ::testing::TestWithParam<QualityCase> {};

TEST_P(QualityRule, OnePoint) {
  const QualityCase& c = GetParam();
  StatsPoint p;
  p.lossPercent = c.loss;
  p.rttMs = c.rtt;
  p.jitterMs = c.jitter;
  p.fps = c.fps;
  p.width = c.width;
  p.height = c.width * 9 / 16;
  EXPECT_EQ(qualityOf(p), c.expected) << c.name;
  std::deque<StatsPoint> series{p};
  EXPECT_EQ(qualityOf(series), c.expected) << c.name << " (series of one)";
}

INSTANTIATE_TEST_SUITE_P(
    Table, QualityRule,
    ::testing::Values(QualityCase{"clean video", 0, 40, 5, 30, 1280, Quality::Good},
                      QualityCase{"clean audio", 0, 40, 5, 0, 0, Quality::Good},
                      QualityCase{"rtt unknown", 0, 0, 0, 0, 0, Quality::Good},
                      QualityCase{"loss at 1%", 1.0f, 40, 5, 30, 1280, Quality::Good},
                      QualityCase{"loss over 1%", 1.5f, 40, 5, 30, 1280, Quality::Fair},
                      QualityCase{"loss at 5%", 5.0f, 40, 5, 30, 1280, Quality::Fair},
                      QualityCase{"loss over 5%", 5.5f, 40, 5, 30, 1280, Quality::Poor},
                      QualityCase{"rtt 200", 0, 200, 5, 30, 1280, Quality::Good},
                      QualityCase{"rtt 201", 0, 201, 5, 30, 1280, Quality::Fair},
                      QualityCase{"rtt 401", 0, 401, 5, 30, 1280, Quality::Poor},
                      QualityCase{"jitter 31", 0, 40, 31, 30, 1280, Quality::Fair},
                      QualityCase{"jitter high is never poor", 0, 40, 300, 30, 1280, Quality::Fair},
                      QualityCase{"video fps 19", 0, 40, 5, 19, 1280, Quality::Fair},
                      QualityCase{"video fps 20", 0, 40, 5, 20, 1280, Quality::Good},
                      QualityCase{"video fps 9", 0, 40, 5, 9, 640, Quality::Poor},
                      QualityCase{"frozen video", 0, 40, 5, 0, 640, Quality::Poor},
                      QualityCase{"low fps without video is fine", 0, 40, 5, 3, 0, Quality::Good}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(QualityRule, EmptySeriesIsUnknown) {
  EXPECT_EQ(qualityOf(std::deque<StatsPoint>{}), Quality::Unknown);
}

TEST(QualityRule, SeriesAveragesTheLastWindow) {
  StatsPoint good;
  good.rttMs = 50;
  StatsPoint lossy = good;
  lossy.lossPercent = 12;
  // One lossy second among three: mean loss 4% -> Fair, not Poor.
  std::deque<StatsPoint> series{good, good, lossy};
  EXPECT_EQ(qualityOf(series), Quality::Fair);
  // Old bad points outside the window no longer count.
  series = {lossy, lossy, lossy, good, good, good};
  EXPECT_EQ(qualityOf(series), Quality::Good);
  // Unmeasured rtt (0) does not dilute a high one.
  StatsPoint slow = good;
  slow.rttMs = 500;
  StatsPoint unmeasured = good;
  unmeasured.rttMs = 0;
  series = {unmeasured, unmeasured, slow};
  EXPECT_EQ(qualityOf(series), Quality::Poor);
}

TEST(QualityRule, HistoryQualityFollowsSamples) {
  StatsHistory h;
  PeerStats s = counters(0, 0, 0, 0);
  s.roundTripTimeMs = 30;
  h.add("a", 0, s);
  EXPECT_EQ(h.quality("a"), Quality::Unknown);
  for (int i = 1; i <= 3; ++i) {
    s.packetsReceived += 90;
    s.packetsLost += 10;  // 10% loss each second
    h.add("a", i * 1000.0, s);
  }
  EXPECT_EQ(h.quality("a"), Quality::Poor);
  for (int i = 4; i <= 6; ++i) {
    s.packetsReceived += 100;
    h.add("a", i * 1000.0, s);
  }
  EXPECT_EQ(h.quality("a"), Quality::Good);
}

TEST(QualityRule, Names) {
  EXPECT_EQ(toString(Quality::Unknown), "unknown");
  EXPECT_EQ(toString(Quality::Good), "good");
  EXPECT_EQ(toString(Quality::Fair), "fair");
  EXPECT_EQ(toString(Quality::Poor), "poor");
}

}  // namespace
}  // namespace vroom::ui
