// The video surface seam: where the browser places <video> elements over the canvas. The
// UI decides the layout and calls this; media stays an id on this side.
#pragma once

#include <string>

namespace vroom {

struct Rect {
  float x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect&) const = default;
};

class VideoSurface {
 public:
  virtual ~VideoSurface() = default;
  // Shows (or moves) the stream in `rect`, in CSS pixels; `mirrored` for the local camera.
  virtual void show(const std::string& streamId, const Rect& rect, bool mirrored) = 0;
  virtual void hide(const std::string& streamId) = 0;
};

}  // namespace vroom
