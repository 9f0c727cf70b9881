// Which parts of the window an ImGui frame drew on, so the page shows only those (small
// canvases over the bars, panels and toasts) instead of a full-window canvas blended over
// every video frame; a region's hash tells the page whether its pixels can have changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "layout.hpp"

struct ImDrawData;

namespace vroom::ui {

struct DrawnRegion {
  Rect rect;               // CSS pixels, whole pixels, inside the display
  std::uint64_t hash = 0;  // of everything drawn in it: equal hash and rect, equal pixels
  bool operator==(const DrawnRegion&) const = default;
};

// Regions this close together are one: one canvas is cheaper than two slivers.
inline constexpr float kRegionMergeGap = 8.0f;
inline constexpr std::size_t kMaxRegions = 8;

// One region per draw list that drew something (its vertices within its clip rects), merged
// while any two overlap or lie within kRegionMergeGap, then the cheapest unions until at
// most `maxRegions` remain. Sorted top to bottom, then left to right.
std::vector<DrawnRegion> drawnRegions(const ImDrawData& data, std::size_t maxRegions = kMaxRegions);

}  // namespace vroom::ui
