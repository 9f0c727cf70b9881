// Tests for ui/layout: the invariants (inside the area, no overlap, aspect kept, grid optimal)
// over a sweep of tile counts, windows, aspects and modes, plus the choice rules and bad input.
#include "layout.hpp"

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

constexpr float kEps = 1e-3f;

std::vector<TileRequest> makeTiles(int n, float aspect) {
  std::vector<TileRequest> tiles;
  for (int i = 0; i < n; ++i) tiles.push_back({"t" + std::to_string(i), aspect});
  return tiles;
}

// The usable area computed independently of layout.cpp.
Rect expectedArea(const LayoutInput& in) {
  const auto& r = in.reserved;
  return Rect{r.left + in.margin, r.top + in.margin, in.width - r.left - r.right - 2 * in.margin,
              in.height - r.top - r.bottom - 2 * in.margin};
}

bool finite(const Rect& r) {
  return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.width) &&
         std::isfinite(r.height);
}

bool inside(const Rect& r, const Rect& area) {
  return r.x >= area.x - kEps && r.y >= area.y - kEps &&
         r.x + r.width <= area.x + area.width + kEps &&
         r.y + r.height <= area.y + area.height + kEps;
}

bool overlap(const Rect& a, const Rect& b) {
  return a.x + kEps < b.x + b.width && b.x + kEps < a.x + a.width && a.y + kEps < b.y + b.height &&
         b.y + kEps < a.y + a.height;
}

// The invariants every layout must hold, whatever the mode.
::testing::AssertionResult holdsInvariants(const LayoutInput& in, const LayoutResult& out) {
  if (out.tiles.size() != in.tiles.size())
    return ::testing::AssertionFailure() << "tile count " << out.tiles.size();
  const Rect area = expectedArea(in);
  int hidden = 0, large = 0;
  for (size_t i = 0; i < out.tiles.size(); ++i) {
    const auto& t = out.tiles[i];
    if (t.id != in.tiles[i].id) return ::testing::AssertionFailure() << "order at " << i;
    if (!finite(t.rect)) return ::testing::AssertionFailure() << "non-finite rect " << i;
    if (t.large) ++large;
    if (t.hidden) {
      ++hidden;
      if (t.rect.x != 0 || t.rect.y != 0 || t.rect.width != 0 || t.rect.height != 0)
        return ::testing::AssertionFailure() << "hidden tile " << i << " has a rect";
      continue;
    }
    if (t.rect.empty()) return ::testing::AssertionFailure() << "visible empty " << i;
    if (!inside(t.rect, area))
      return ::testing::AssertionFailure()
             << "tile " << i << " at " << t.rect.x << "," << t.rect.y << " " << t.rect.width << "x"
             << t.rect.height << " outside area " << area.x << "," << area.y << " " << area.width
             << "x" << area.height;
    for (size_t j = i + 1; j < out.tiles.size(); ++j)
      if (!out.tiles[j].hidden && overlap(t.rect, out.tiles[j].rect))
        return ::testing::AssertionFailure() << "tiles " << i << " and " << j << " overlap";
  }
  if (hidden != out.hiddenCount)
    return ::testing::AssertionFailure() << "hiddenCount " << out.hiddenCount << " vs " << hidden;
  if (large > 1) return ::testing::AssertionFailure() << large << " large tiles";
  return ::testing::AssertionSuccess();
}

// Brute force written from the definition: every column count, cells split evenly, the
// video letterboxed in its cell; returns the best total video area.
float bruteForceArea(int n, float w, float h, float aspect, float gap, int maxColumns) {
  float best = 0;
  for (int c = 1; c <= std::min(n, maxColumns); ++c) {
    const int r = (n + c - 1) / c;
    const float cw = (w - (c - 1) * gap) / c, ch = (h - (r - 1) * gap) / r;
    if (cw <= 0 || ch <= 0) continue;
    const float tw = std::min(cw, ch * aspect);
    best = std::max(best, n * tw * (tw / aspect));
  }
  return best;
}

float visibleArea(const LayoutResult& out) {
  float sum = 0;
  for (const auto& t : out.tiles) sum += t.rect.area();
  return sum;
}

// ---- The sweep: N = 1..25 for every window x aspect x mode x reserved-space combination.

struct Window {
  float w, h;
};
const Window kWindows[] = {{1920, 1080}, {1280, 720}, {800, 600}, {360, 740}, {740, 360}};
const float kAspects[] = {16.0f / 9.0f, 4.0f / 3.0f, 9.0f / 16.0f};
const LayoutMode kModes[] = {LayoutMode::Grid, LayoutMode::Speaker, LayoutMode::Stage};
const Insets kReserved[] = {{0, 0, 56, 0}, {0, 0, 56, 120}, {40, 0, 56, 0}};

using SweepParam = std::tuple<Window, float, LayoutMode, Insets>;

class LayoutSweep : public ::testing::TestWithParam<SweepParam> {
 protected:
  LayoutInput input(int n) const {
    const auto& [win, aspect, mode, reserved] = GetParam();
    LayoutInput in;
    in.width = win.w;
    in.height = win.h;
    in.reserved = reserved;
    in.mode = mode;
    in.tiles = makeTiles(n, aspect);
    return in;
  }
};

TEST_P(LayoutSweep, InvariantsHoldForEveryTileCount) {
  for (int n = 1; n <= 25; ++n) {
    const LayoutInput in = input(n);
    const LayoutResult out = computeLayout(in);
    ASSERT_TRUE(holdsInvariants(in, out)) << "n=" << n;
  }
}

TEST_P(LayoutSweep, VideoKeepsItsAspect) {
  const float aspect = std::get<1>(GetParam());
  for (int n = 1; n <= 25; ++n) {
    const LayoutResult out = computeLayout(input(n));
    for (const auto& t : out.tiles)
      if (!t.hidden) {
        ASSERT_NEAR(t.rect.width / t.rect.height, aspect, 1e-3f) << "n=" << n;
      }
  }
}

TEST_P(LayoutSweep, ModeRulesHold) {
  const LayoutMode mode = std::get<2>(GetParam());
  for (int n = 1; n <= 25; ++n) {
    const LayoutInput in = input(n);
    const LayoutResult out = computeLayout(in);
    const Rect area = expectedArea(in);
    if (mode == LayoutMode::Grid || n == 1) {
      // Every tile is on screen in Grid, and a single tile in Speaker is a grid of one.
      EXPECT_EQ(out.used, LayoutMode::Grid == mode || mode == LayoutMode::Speaker
                              ? LayoutMode::Grid
                              : LayoutMode::Stage);
      EXPECT_EQ(out.hiddenCount, 0) << "n=" << n;
      EXPECT_GE(out.columns * out.rows, n);
      EXPECT_LT((out.rows - 1) * out.columns, n) << "no empty row";
    } else if (mode == LayoutMode::Speaker) {
      ASSERT_EQ(out.used, LayoutMode::Speaker);
      ASSERT_GE(out.largeIndex, 0);
      const Rect big = out.tiles[out.largeIndex].rect;
      EXPECT_FALSE(out.tiles[out.largeIndex].hidden);
      EXPECT_TRUE(out.tiles[out.largeIndex].large);
      int strip = 0;
      for (int i = 0; i < n; ++i) {
        if (i == out.largeIndex || out.tiles[i].hidden) continue;
        ++strip;
        const Rect r = out.tiles[i].rect;
        EXPECT_LT(r.area(), big.area()) << "n=" << n;
        if (out.stripBeside) {
          EXPECT_GE(r.x, big.x + big.width - kEps);
        } else {
          EXPECT_GE(r.y, big.y + big.height - kEps);
        }
      }
      EXPECT_GE(strip, 1) << "at least one thumbnail fits in every window of the sweep";
      EXPECT_EQ(strip + 1 + out.hiddenCount, n);
    } else {
      ASSERT_EQ(out.used, LayoutMode::Stage);
      ASSERT_GE(out.largeIndex, 0);
      EXPECT_EQ(out.hiddenCount, n - 1);
      const Rect host = out.tiles[out.largeIndex].rect;
      // Fills the area: touches both edges along at least one axis.
      EXPECT_TRUE(std::abs(host.width - area.width) < kEps ||
                  std::abs(host.height - area.height) < kEps);
    }
  }
}

TEST_P(LayoutSweep, PureFunctionSameInputSameOutput) {
  for (int n : {1, 7, 25}) {
    LayoutInput in = input(n);
    in.speakerId = "t3";
    const LayoutResult a = computeLayout(in), b = computeLayout(in);
    ASSERT_EQ(a.tiles.size(), b.tiles.size());
    for (size_t i = 0; i < a.tiles.size(); ++i) {
      EXPECT_EQ(a.tiles[i].rect.x, b.tiles[i].rect.x);
      EXPECT_EQ(a.tiles[i].rect.y, b.tiles[i].rect.y);
      EXPECT_EQ(a.tiles[i].rect.width, b.tiles[i].rect.width);
      EXPECT_EQ(a.tiles[i].rect.height, b.tiles[i].rect.height);
      EXPECT_EQ(a.tiles[i].hidden, b.tiles[i].hidden);
    }
  }
}

std::string sweepName(const ::testing::TestParamInfo<SweepParam>& info) {
  const Window win = std::get<0>(info.param);
  const char* modes[] = {"Grid", "Speaker", "Stage"};
  return std::to_string(int(win.w)) + "x" + std::to_string(int(win.h)) + "_a" +
         std::to_string(int(std::get<1>(info.param) * 100)) + "_" +
         modes[int(std::get<2>(info.param))] + "_i" + std::to_string(info.index % 3);
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, LayoutSweep,
                         ::testing::Combine(::testing::ValuesIn(kWindows),
                                            ::testing::ValuesIn(kAspects),
                                            ::testing::ValuesIn(kModes),
                                            ::testing::ValuesIn(kReserved)),
                         sweepName);

// Grid only: the chosen grid against a brute force over every allowed column count.
class GridSweep : public ::testing::TestWithParam<std::tuple<Window, float, Insets>> {};

TEST_P(GridSweep, GridIsAreaOptimal) {
  const auto& [win, aspect, reserved] = GetParam();
  const bool narrow = win.w < kNarrowWidth;
  for (int n = 1; n <= 25; ++n) {
    LayoutInput in;
    in.width = win.w;
    in.height = win.h;
    in.reserved = reserved;
    in.tiles = makeTiles(n, aspect);
    const LayoutResult out = computeLayout(in);
    const Rect area = expectedArea(in);
    const float best =
        bruteForceArea(n, area.width, area.height, aspect, in.gap, narrow ? kNarrowMaxColumns : n);
    EXPECT_NEAR(visibleArea(out), best, best * 1e-4f) << "n=" << n;
    if (narrow) {
      EXPECT_LE(out.columns, kNarrowMaxColumns);
    }
    const GridChoice g = bestGrid(n, area.width, area.height, aspect, in.gap, narrow ? 2 : 0);
    EXPECT_EQ(g.columns, out.columns);
    EXPECT_EQ(g.rows, out.rows);
  }
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, GridSweep,
                         ::testing::Combine(::testing::ValuesIn(kWindows),
                                            ::testing::ValuesIn(kAspects),
                                            ::testing::ValuesIn(kReserved)));

// ---- bestGrid on cases small enough to work out by hand.

struct GridCase {
  const char* name;
  int n;
  float w, h, aspect, gap;
  int maxColumns;
  int columns, rows;
};

TEST(BestGrid, KnownAnswers) {
  const GridCase cases[] = {
      {"one tile", 1, 1600, 900, 16 / 9.f, 8, 0, 1, 1},
      {"two side by side", 2, 1600, 900, 16 / 9.f, 8, 0, 2, 1},
      {"four make a square", 4, 1600, 900, 16 / 9.f, 8, 0, 2, 2},
      {"nine make a square", 9, 1600, 900, 16 / 9.f, 8, 0, 3, 3},
      {"portrait streams in a row", 3, 1600, 900, 9 / 16.f, 8, 0, 3, 1},
      {"landscape streams stacked on a phone", 3, 340, 700, 16 / 9.f, 8, 0, 1, 3},
      {"narrow caps columns", 9, 340, 700, 9 / 16.f, 8, 2, 2, 5},
      {"tie keeps fewer columns", 2, 200, 100, 2.0f, 0, 0, 1, 2},
      {"gaps leave room for one column", 3, 10, 100, 1.0f, 20, 0, 1, 3},
  };
  for (const auto& c : cases) {
    const GridChoice g = bestGrid(c.n, c.w, c.h, c.aspect, c.gap, c.maxColumns);
    EXPECT_EQ(g.columns, c.columns) << c.name;
    EXPECT_EQ(g.rows, c.rows) << c.name;
    EXPECT_NEAR(g.visibleArea, c.n * g.tileW * g.tileH, 1e-2f) << c.name;
  }
}

TEST(BestGrid, MatchesBruteForceOverManyShapes) {
  for (int n = 1; n <= 40; ++n)
    for (float w : {100.f, 333.f, 1000.f, 2560.f})
      for (float h : {100.f, 480.f, 1440.f})
        for (float aspect : {0.5f, 1.0f, 4 / 3.f, 16 / 9.f, 2.4f}) {
          const GridChoice g = bestGrid(n, w, h, aspect, 6, 0);
          const float best = bruteForceArea(n, w, h, aspect, 6, n);
          ASSERT_NEAR(g.visibleArea, best, best * 1e-4f + 1e-3f)
              << n << " " << w << "x" << h << " a=" << aspect;
          if (best > 0) {
            ASSERT_GE(g.columns, 1);
            // The chosen grid's own cell is what it reports.
            const GridChoice same = gridFor(n, g.columns, w, h, aspect, 6);
            ASSERT_EQ(same.visibleArea, g.visibleArea);
          }
        }
}

TEST(BestGrid, DegenerateInputsGiveZeroChoice) {
  const float nan = std::nanf("");
  EXPECT_EQ(bestGrid(0, 800, 600, 1, 8).columns, 0);
  EXPECT_EQ(bestGrid(-3, 800, 600, 1, 8).columns, 0);
  EXPECT_EQ(bestGrid(4, 0, 600, 1, 8).columns, 0);
  EXPECT_EQ(bestGrid(4, 800, -1, 1, 8).columns, 0);
  EXPECT_EQ(bestGrid(4, nan, 600, 1, 8).columns, 0);
  EXPECT_EQ(bestGrid(4, 800, 600, 1, 1e6f).columns, 0);
  // A junk aspect falls back to 16:9 rather than poisoning the arithmetic.
  const GridChoice g = bestGrid(4, 800, 600, nan, 8);
  EXPECT_GT(g.columns, 0);
  EXPECT_TRUE(std::isfinite(g.visibleArea));
  EXPECT_NEAR(g.tileW / g.tileH, 16 / 9.f, 1e-3f);
  EXPECT_EQ(gridFor(4, 5, 800, 600, 1, 8).columns, 0) << "more columns than tiles";
  EXPECT_EQ(gridFor(4, 0, 800, 600, 1, 8).columns, 0);
}

// ---- Which tile is large.

struct ChoiceCase {
  const char* name;
  std::vector<TileRequest> tiles;
  std::string pinned, speaker;
  int expected;
};

TEST(ChooseLargeTile, PriorityTable) {
  const TileRequest me{"me", 16 / 9.f, false, true};
  const TileRequest myScreen{"me-screen", 16 / 9.f, true, true};
  const TileRequest a{"a"}, b{"b"}, c{"c"};
  const TileRequest bScreen{"b-screen", 16 / 10.f, true, false};
  const ChoiceCase cases[] = {
      {"empty", {}, "", "", -1},
      {"first remote by default", {me, a, b}, "", "", 1},
      {"only ourselves", {me}, "", "", 0},
      {"active speaker", {me, a, b}, "", "b", 2},
      {"our own speaking is not promoted", {me, a, b}, "", "me", 1},
      {"unknown speaker ignored", {a, b}, "", "zed", 0},
      {"screen share beats speaker", {a, b, bScreen}, "", "a", 2},
      {"remote screen beats our screen", {myScreen, a, bScreen}, "", "", 2},
      {"our screen beats a speaker", {me, myScreen, a}, "", "a", 1},
      {"pin beats screen share", {a, bScreen, c}, "c", "a", 2},
      {"we may pin ourselves", {me, a, bScreen}, "me", "a", 0},
      {"unknown pin ignored", {a, bScreen}, "gone", "", 1},
  };
  for (const auto& c : cases) {
    LayoutInput in;
    in.tiles = c.tiles;
    in.pinnedId = c.pinned;
    in.speakerId = c.speaker;
    EXPECT_EQ(chooseLargeTile(in), c.expected) << c.name;
    if (c.expected < 0) continue;
    in.width = 1280;
    in.height = 720;
    for (LayoutMode mode : {LayoutMode::Speaker, LayoutMode::Stage}) {
      in.mode = mode;
      const LayoutResult out = computeLayout(in);
      EXPECT_TRUE(holdsInvariants(in, out)) << c.name;
      if (out.used == LayoutMode::Grid) continue;  // a single tile
      EXPECT_EQ(out.largeIndex, c.expected) << c.name;
      EXPECT_TRUE(out.tiles[c.expected].large) << c.name;
    }
  }
}

// ---- Speaker view details.

LayoutInput speakerInput(float w, float h, int n) {
  LayoutInput in;
  in.width = w;
  in.height = h;
  in.reserved.bottom = 56;
  in.mode = LayoutMode::Speaker;
  in.tiles = makeTiles(n, 16 / 9.f);
  return in;
}

TEST(SpeakerLayout, StripSideFollowsTheLargerVideoArea) {
  // A near-square window: a side strip would shrink the stage's width too much.
  const LayoutResult square = computeLayout(speakerInput(1000, 1000, 6));
  EXPECT_FALSE(square.stripBeside);
  // An ultra-wide window has spare width, so the strip goes beside.
  const LayoutResult wide = computeLayout(speakerInput(3440, 1000, 6));
  EXPECT_TRUE(wide.stripBeside);
  // Phones always stack the strip under the stage.
  const LayoutResult phone = computeLayout(speakerInput(360, 740, 6));
  EXPECT_FALSE(phone.stripBeside);
  const LayoutResult phoneLandscapeTooNarrow = computeLayout(speakerInput(590, 300, 6));
  EXPECT_FALSE(phoneLandscapeTooNarrow.stripBeside);
}

TEST(SpeakerLayout, OverflowIsHiddenAndTheStripScrolls) {
  LayoutInput in = speakerInput(1280, 720, 25);
  const LayoutResult first = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, first));
  ASSERT_GT(first.hiddenCount, 0);
  ASSERT_EQ(first.largeIndex, 0);
  // Visible thumbnails are a contiguous run starting at the strip's first entry.
  const int shown = 24 - first.hiddenCount;
  for (int i = 1; i <= 24; ++i) EXPECT_EQ(first.tiles[i].hidden, i > shown) << i;

  in.stripFirst = 5;  // strip entry 5 is tile 6, the large tile 0 is not in the strip
  const LayoutResult scrolled = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, scrolled));
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(scrolled.tiles[i].hidden) << i;
  EXPECT_FALSE(scrolled.tiles[6].hidden);
  EXPECT_FALSE(scrolled.tiles[0].hidden);

  in.stripFirst = 1000;  // past the end: the last thumbnail still shows
  const LayoutResult end = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, end));
  EXPECT_FALSE(end.tiles[24].hidden);
  EXPECT_EQ(end.hiddenCount, 23);

  in.stripFirst = -4;
  EXPECT_FALSE(computeLayout(in).tiles[1].hidden);
}

TEST(SpeakerLayout, SingleTileIsTheGrid) {
  LayoutInput in = speakerInput(1280, 720, 1);
  const LayoutResult speaker = computeLayout(in);
  in.mode = LayoutMode::Grid;
  const LayoutResult grid = computeLayout(in);
  EXPECT_EQ(speaker.used, LayoutMode::Grid);
  EXPECT_EQ(speaker.largeIndex, -1);
  EXPECT_EQ(speaker.tiles[0].rect.width, grid.tiles[0].rect.width);
  EXPECT_EQ(speaker.tiles[0].rect.x, grid.tiles[0].rect.x);
}

TEST(SpeakerLayout, ScreenShareTakesTheStageWhenItJoins) {
  LayoutInput in = speakerInput(1280, 720, 4);
  in.speakerId = "t2";
  EXPECT_EQ(computeLayout(in).largeIndex, 2);
  in.tiles.push_back({"t1-screen", 16 / 10.f, true, false});
  const LayoutResult out = computeLayout(in);
  EXPECT_EQ(out.largeIndex, 4);
  EXPECT_NEAR(out.tiles[4].rect.width / out.tiles[4].rect.height, 1.6f, 1e-3f);
  EXPECT_TRUE(holdsInvariants(in, out));
}

// ---- Mixed aspects, joins, leaves and resizes.

TEST(GridLayout, MixedAspectsKeepTheirOwnShape) {
  LayoutInput in;
  in.width = 1280;
  in.height = 720;
  in.reserved.bottom = 56;
  const float aspects[] = {16 / 9.f, 9 / 16.f, 4 / 3.f, 1.0f, 21 / 9.f};
  for (int n = 1; n <= 25; ++n) {
    in.tiles.push_back({"m" + std::to_string(n), aspects[n % 5]});
    const LayoutResult out = computeLayout(in);
    ASSERT_TRUE(holdsInvariants(in, out)) << n;
    EXPECT_EQ(out.hiddenCount, 0);
    for (int i = 0; i < n; ++i)
      EXPECT_NEAR(out.tiles[i].rect.width / out.tiles[i].rect.height, in.tiles[i].aspect, 1e-3f);
  }
}

TEST(GridLayout, JoinLeaveAndResizeRecompute) {
  LayoutInput in;
  in.width = 1280;
  in.height = 720;
  in.tiles = makeTiles(4, 16 / 9.f);
  const LayoutResult four = computeLayout(in);
  EXPECT_EQ(four.columns, 2);

  in.tiles.push_back({"late"});  // a join
  const LayoutResult five = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, five));
  EXPECT_EQ(five.tiles.back().id, "late");
  EXPECT_EQ(five.hiddenCount, 0);
  EXPECT_LT(five.tiles[0].rect.area(), four.tiles[0].rect.area());

  in.tiles.erase(in.tiles.begin() + 1);  // a leave
  const LayoutResult afterLeave = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, afterLeave));
  EXPECT_EQ(afterLeave.tiles[1].id, "t2");
  EXPECT_FLOAT_EQ(afterLeave.tiles[0].rect.area(), four.tiles[0].rect.area());

  in.width = 360;  // resized down to a phone
  in.height = 740;
  const LayoutResult phone = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, phone));
  EXPECT_LE(phone.columns, kNarrowMaxColumns);
  for (const auto& t : phone.tiles) EXPECT_LE(t.rect.x + t.rect.width, 360 - in.margin + kEps);
}

TEST(GridLayout, NarrowWindowStacksAndLeavesTheToolbarFree) {
  LayoutInput in;
  in.width = 360;
  in.height = 740;
  in.reserved.bottom = 72;
  in.tiles = makeTiles(3, 16 / 9.f);
  const LayoutResult out = computeLayout(in);
  ASSERT_TRUE(holdsInvariants(in, out));
  EXPECT_EQ(out.columns, 1);
  EXPECT_EQ(out.rows, 3);
  const float toolbarTop = in.height - in.reserved.bottom;
  for (const auto& t : out.tiles) EXPECT_LE(t.rect.y + t.rect.height, toolbarTop);
  // The short last row is centred: 5 tiles in a 3-column grid put the last two in the middle.
  in.width = 1920;
  in.height = 900;
  in.tiles = makeTiles(5, 16 / 9.f);
  const LayoutResult five = computeLayout(in);
  ASSERT_EQ(five.columns, 3);
  const float leftGap = five.tiles[3].rect.x - five.area.x;
  const float rightGap =
      five.area.x + five.area.width - (five.tiles[4].rect.x + five.tiles[4].rect.width);
  EXPECT_NEAR(leftGap, rightGap, 0.01f);
}

// ---- Hit testing.

TEST(TileAt, FindsTheTileUnderThePointer) {
  LayoutInput in = speakerInput(1280, 720, 25);
  const LayoutResult out = computeLayout(in);
  int hits = 0;
  for (size_t i = 0; i < out.tiles.size(); ++i) {
    const Rect& r = out.tiles[i].rect;
    if (out.tiles[i].hidden) continue;
    ++hits;
    EXPECT_EQ(tileAt(out, r.x + r.width / 2, r.y + r.height / 2), int(i));
    EXPECT_EQ(tileAt(out, r.x, r.y), int(i)) << "top-left corner belongs to the tile";
    EXPECT_NE(tileAt(out, r.x + r.width, r.y + r.height / 2), int(i)) << "right edge is outside";
  }
  EXPECT_GT(hits, 2);
  EXPECT_EQ(tileAt(out, -5, -5), -1);
  EXPECT_EQ(tileAt(out, 640, 719), -1) << "the toolbar is not a tile";
  EXPECT_EQ(tileAt(LayoutResult{}, 10, 10), -1);
}

// ---- Bad input never crashes and never yields junk rects.

struct BadCase {
  const char* name;
  LayoutInput in;
};

LayoutInput with(int n, float w, float h) {
  LayoutInput in;
  in.width = w;
  in.height = h;
  in.tiles = makeTiles(n, 16 / 9.f);
  return in;
}

TEST(ComputeLayout, DegenerateInputIsSane) {
  const float nan = std::nanf(""), inf = INFINITY;
  std::vector<BadCase> cases = {
      {"no tiles", with(0, 1280, 720)},
      {"zero window", with(4, 0, 0)},
      {"negative window", with(4, -100, 720)},
      {"nan window", with(4, nan, nan)},
      {"infinite window", with(4, inf, 720)},
      {"insets eat everything", with(4, 800, 600)},
      {"nan gap and margin", with(4, 800, 600)},
      {"gap larger than window", with(4, 800, 600)},
      {"many tiles tiny window", with(1000, 320, 200)},
      {"tiny window speaker", with(5, 40, 40)},
      {"tiny window stage", with(5, 30, 30)},
      {"junk aspects", with(6, 1280, 720)},
      {"negative insets", with(3, 800, 600)},
  };
  cases[5].in.reserved = {400, 0, 300, 0};
  cases[6].in.gap = nan;
  cases[6].in.margin = nan;
  cases[7].in.gap = 900;
  cases[9].in.mode = LayoutMode::Speaker;
  cases[10].in.mode = LayoutMode::Stage;
  cases[11].in.mode = LayoutMode::Speaker;
  const float junk[] = {nan, inf, -1, 0, 1e-30f, 1e30f};
  for (int i = 0; i < 6; ++i) cases[11].in.tiles[i].aspect = junk[i];
  cases[12].in.reserved = {-50, -50, -50, -50};

  for (const auto& c : cases) {
    for (LayoutMode mode : {c.in.mode, LayoutMode::Grid, LayoutMode::Speaker, LayoutMode::Stage}) {
      LayoutInput in = c.in;
      in.mode = mode;
      const LayoutResult out = computeLayout(in);
      ASSERT_EQ(out.tiles.size(), in.tiles.size()) << c.name;
      ASSERT_TRUE(finite(out.area)) << c.name;
      for (const auto& t : out.tiles) {
        ASSERT_TRUE(finite(t.rect)) << c.name;
        if (t.hidden) continue;
        ASSERT_FALSE(t.rect.empty()) << c.name;
        // Whatever the junk, a visible tile is inside the window and the computed area.
        ASSERT_TRUE(inside(t.rect, out.area)) << c.name;
        ASSERT_GE(t.rect.x, 0) << c.name;
        ASSERT_GE(t.rect.y, 0) << c.name;
      }
      for (size_t i = 0; i < out.tiles.size(); ++i)
        for (size_t j = i + 1; j < out.tiles.size(); ++j)
          if (!out.tiles[i].hidden && !out.tiles[j].hidden) {
            ASSERT_FALSE(overlap(out.tiles[i].rect, out.tiles[j].rect)) << c.name;
          }
    }
  }
  // Specific outcomes: nothing to show when there is no room.
  EXPECT_EQ(computeLayout(cases[1].in).hiddenCount, 4);
  EXPECT_EQ(computeLayout(cases[3].in).hiddenCount, 4);
  EXPECT_EQ(computeLayout(cases[5].in).hiddenCount, 4);
  EXPECT_TRUE(computeLayout(cases[0].in).tiles.empty());
  // Junk numbers that still leave room are repaired, not rejected.
  EXPECT_EQ(computeLayout(cases[6].in).hiddenCount, 0);
  EXPECT_EQ(computeLayout(cases[7].in).hiddenCount, 0) << "gaps are dropped, tiles stay";
  EXPECT_EQ(computeLayout(cases[8].in).hiddenCount, 0);
  EXPECT_EQ(computeLayout(cases[12].in).area.x, cases[12].in.margin);
  LayoutInput junkGrid = cases[11].in;
  junkGrid.mode = LayoutMode::Grid;
  EXPECT_EQ(computeLayout(junkGrid).hiddenCount, 0);
}

// ---- The floating self-view (picture-in-picture).

LayoutInput withSelf(int others, LayoutMode mode) {
  LayoutInput in;
  in.width = 1280;
  in.height = 720;
  in.reserved = {44, 0, 72, 0};
  in.mode = mode;
  in.floatSelfView = true;
  in.tiles.push_back({"self", 16 / 9.f, false, true});
  for (int i = 0; i < others; ++i) in.tiles.push_back({"p" + std::to_string(i), 16 / 9.f});
  return in;
}

TEST(SelfView, FloatsInTheBottomRightCornerAndTheOthersKeepTheArea) {
  for (int others : {1, 2, 3, 5, 8}) {
    for (LayoutMode mode : {LayoutMode::Grid, LayoutMode::Speaker}) {
      const LayoutInput in = withSelf(others, mode);
      const LayoutResult out = computeLayout(in);
      ASSERT_EQ(out.tiles.size(), in.tiles.size());
      const PlacedTile& self = out.tiles[0];
      EXPECT_TRUE(self.floating) << others;
      EXPECT_FALSE(self.hidden);
      EXPECT_NEAR(self.rect.x + self.rect.width, out.area.x + out.area.width, kEps);
      EXPECT_NEAR(self.rect.y + self.rect.height, out.area.y + out.area.height, kEps);
      EXPECT_LE(self.rect.width, kSelfViewMaxWidth + kEps);
      EXPECT_GE(self.rect.width, kSelfViewMinWidth - kEps);
      EXPECT_NEAR(self.rect.width / self.rect.height, 16 / 9.f, 1e-3f);
      // The others are laid out exactly as if we were not there.
      LayoutInput rest = in;
      rest.floatSelfView = false;
      rest.tiles.erase(rest.tiles.begin());
      const LayoutResult alone = computeLayout(rest);
      for (int i = 0; i < others; ++i) {
        EXPECT_EQ(out.tiles[i + 1].rect, alone.tiles[i].rect) << others << " tile " << i;
        EXPECT_FALSE(out.tiles[i + 1].floating);
      }
      EXPECT_EQ(out.largeIndex, alone.largeIndex < 0 ? -1 : alone.largeIndex + 1);
      EXPECT_EQ(out.hiddenCount, alone.hiddenCount);
      // A click on the self-view is a click on it, not on the tile beneath.
      EXPECT_EQ(tileAt(out, self.rect.x + self.rect.width / 2, self.rect.y + self.rect.height / 2),
                0);
    }
  }
}

TEST(SelfView, TakesACellWhenAloneOnStageOrPinned) {
  LayoutInput alone = withSelf(0, LayoutMode::Grid);
  EXPECT_FALSE(computeLayout(alone).tiles[0].floating) << "alone: we fill the room";
  EXPECT_GT(computeLayout(alone).tiles[0].rect.width, kSelfViewMaxWidth);
  LayoutInput stage = withSelf(2, LayoutMode::Stage);
  EXPECT_FALSE(computeLayout(stage).tiles[0].floating) << "a broadcast host's stage";
  LayoutInput pinned = withSelf(2, LayoutMode::Speaker);
  pinned.pinnedId = "self";
  const LayoutResult out = computeLayout(pinned);
  EXPECT_FALSE(out.tiles[0].floating);
  EXPECT_TRUE(out.tiles[0].large);
  LayoutInput off = withSelf(2, LayoutMode::Grid);
  off.floatSelfView = false;
  EXPECT_FALSE(computeLayout(off).tiles[0].floating);
  EXPECT_TRUE(holdsInvariants(off, computeLayout(off)));
  // Our screen share is a tile like any other; only the camera floats.
  LayoutInput sharing = withSelf(1, LayoutMode::Grid);
  sharing.tiles.push_back({"self:screen", 16 / 10.f, true, true});
  const LayoutResult shared = computeLayout(sharing);
  EXPECT_TRUE(shared.tiles[0].floating);
  EXPECT_FALSE(shared.tiles[2].floating);
}

TEST(SelfView, RectStaysInsideSmallAndJunkAreas) {
  EXPECT_TRUE(selfViewRect(Rect{}, 16 / 9.f).empty());
  const Rect phone{12, 56, 336, 600};
  const Rect r = selfViewRect(phone, 16 / 9.f);
  EXPECT_NEAR(r.width, kSelfViewMinWidth, kEps) << "a fifth of a phone is below the floor";
  EXPECT_TRUE(inside(r, phone));
  const Rect flat{0, 0, 800, 90};  // a third of the height caps the size
  const Rect f = selfViewRect(flat, 16 / 9.f);
  EXPECT_LE(f.height, 30 + kEps);
  EXPECT_TRUE(inside(f, flat));
  const Rect junk = selfViewRect(phone, std::nanf(""));
  EXPECT_NEAR(junk.width / junk.height, 16 / 9.f, 1e-3f);
}

}  // namespace
}  // namespace vroom::ui
