// Drawn regions of real ImGui frames: one per window that drew, far windows apart and near
// ones merged, inside the display, a hash that is stable for an unchanged frame and moves
// when the content does, and the cap on how many regions there are.
#include "draw_regions.hpp"

#include <string>

#include <gtest/gtest.h>

#include "imgui_harness.hpp"

namespace vroom::ui {
namespace {

// A fixed window at (x, y) holding one line of text.
void window(const char* name, float x, float y, const std::string& text) {
  ImGui::SetNextWindowPos(ImVec2(x, y));
  ImGui::Begin(name, nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoSavedSettings);
  ImGui::TextUnformatted(text.c_str());
  ImGui::End();
}

bool contains(const Rect& outer, const Rect& inner) {
  return inner.x >= outer.x && inner.y >= outer.y &&
         inner.x + inner.width <= outer.x + outer.width &&
         inner.y + inner.height <= outer.y + outer.height;
}

class DrawRegions : public ::testing::Test {
 protected:
  std::vector<DrawnRegion> regionsOf(const test::ImGuiHarness::Draw& draw) {
    ui.settle(draw);
    return drawnRegions(*ImGui::GetDrawData());
  }
  test::ImGuiHarness ui{1280, 800};
};

TEST_F(DrawRegions, NothingDrawnNoRegion) {
  EXPECT_TRUE(regionsOf([] {}).empty());
}

TEST_F(DrawRegions, FarWindowsAreRegionsOfTheirOwnTopToBottom) {
  const auto regions = regionsOf([] {
    window("bottom", 500, 700, "toolbar");
    window("top", 10, 10, "top bar");
  });
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_LT(regions[0].rect.y, regions[1].rect.y);
  EXPECT_TRUE(contains(regions[0].rect, Rect{10, 10, 20, 10}));
  EXPECT_TRUE(contains(regions[1].rect, Rect{500, 700, 20, 10}));
  for (const DrawnRegion& r : regions) {
    EXPECT_EQ(r.rect.x, static_cast<float>(static_cast<int>(r.rect.x))) << "whole pixels";
    EXPECT_LT(r.rect.width, 300) << "a window's size, not the display's";
  }
}

TEST_F(DrawRegions, NearOrOverlappingWindowsAreOneRegion) {
  const auto regions = regionsOf([] {
    window("a", 100, 100, "first");
    window("b", 100, 130, "just below");
  });
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_TRUE(contains(regions[0].rect, Rect{100, 100, 40, 40}));
}

TEST_F(DrawRegions, RegionsStayInsideTheDisplay) {
  const auto regions = regionsOf([] { window("edge", 1250, 780, "hanging off the corner"); });
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_TRUE(contains(Rect{0, 0, 1280, 800}, regions[0].rect));
}

TEST_F(DrawRegions, TheHashTellsUnchangedFromChangedContent) {
  std::string text = "3 people";
  const auto draw = [&] { window("bar", 10, 10, text); };
  const auto first = regionsOf(draw);
  const auto again = regionsOf(draw);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first, again) << "the same frame twice: same rect, same hash";
  text = "4 people";
  const auto changed = regionsOf(draw);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].rect, first[0].rect);
  EXPECT_NE(changed[0].hash, first[0].hash);
}

TEST_F(DrawRegions, TooManyRegionsAreJoinedCheapestFirst) {
  const auto draw = [] {
    for (int i = 0; i < 6; ++i) {
      const std::string name = "w" + std::to_string(i);
      window(name.c_str(), 20.0f + 200.0f * static_cast<float>(i), i % 2 ? 700.0f : 20.0f, name);
    }
  };
  ui.settle(draw);
  const ImDrawData& data = *ImGui::GetDrawData();
  EXPECT_EQ(drawnRegions(data, 8).size(), 6u);
  const auto capped = drawnRegions(data, 3);
  ASSERT_EQ(capped.size(), 3u);
  // Everything drawn is still covered.
  for (const DrawnRegion& region : drawnRegions(data, 8)) {
    bool covered = false;
    for (const DrawnRegion& c : capped) covered = covered || contains(c.rect, region.rect);
    EXPECT_TRUE(covered);
  }
}

}  // namespace
}  // namespace vroom::ui
