// Only changed placements reach the DOM: layout runs every overlay frame, the DOM is not
// touched unless a tile actually moved.
#include "web_video_surface.hpp"

namespace vroom::bridge {

void WebVideoSurface::show(const std::string& streamId, const Rect& rect, bool mirrored) {
  const auto it = shown_.find(streamId);
  if (it != shown_.end() && it->second.rect == rect && it->second.mirrored == mirrored) return;
  // False while the stream is unknown to the page (not yet arrived): retried next frame.
  if (runtime_.js().call<bool>("videoShow", streamId, rect.x, rect.y, rect.width, rect.height,
                               mirrored))
    shown_[streamId] = {rect, mirrored};
}

void WebVideoSurface::hide(const std::string& streamId) {
  if (shown_.erase(streamId) == 0) return;
  runtime_.js().call<void>("videoHide", streamId);
}

}  // namespace vroom::bridge
