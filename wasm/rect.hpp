// A rectangle in CSS pixels: where the layout puts a tile, where the page shows a video, where
// ImGui drew. One type from the layout functions to the VideoSurface seam.
#pragma once

namespace vroom {

struct Rect {
  float x = 0, y = 0, width = 0, height = 0;

  bool empty() const { return !(width > 0 && height > 0); }
  bool operator==(const Rect&) const = default;
  float area() const { return empty() ? 0.0f : width * height; }
  // Half-open, so two tiles sharing an edge never both claim the same click.
  bool contains(float px, float py) const {
    return !empty() && px >= x && px < x + width && py >= y && py < y + height;
  }
};

}  // namespace vroom
