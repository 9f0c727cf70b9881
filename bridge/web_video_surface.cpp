// Only changed placements and labels reach the DOM: layout runs on every overlay frame and
// session change, the DOM is not touched unless a tile actually moved or its label changed.
#include "web_video_surface.hpp"

namespace vroom::bridge {

void WebVideoSurface::show(const std::string& streamId, const Rect& rect, VideoLook look) {
  const auto it = shown_.find(streamId);
  if (it != shown_.end() && it->second.rect == rect && it->second.look == look) return;
  // False while the stream is unknown to the page (not yet arrived): retried next frame.
  if (runtime_.js().call<bool>("videoShow", streamId, rect.x, rect.y, rect.width, rect.height,
                               look.mirrored, look.floating, look.tile))
    shown_[streamId] = {rect, look};
}

void WebVideoSurface::hide(const std::string& streamId) {
  if (shown_.erase(streamId) == 0) return;
  runtime_.js().call<void>("videoHide", streamId);
}

void WebVideoSurface::label(const std::string& tileId, const Rect& rect, const TileLabel& label) {
  const auto it = labelled_.find(tileId);
  if (it != labelled_.end() && it->second.rect == rect && it->second.label == label) return;
  labelled_[tileId] = {rect, label};
  emscripten::val view = emscripten::val::object();
  view.set("name", label.name);
  view.set("muted", label.muted);
  view.set("speaking", label.speaking);
  view.set("pinned", label.pinned);
  view.set("floating", label.floating);
  view.set("quality", label.quality);
  view.set("notice", label.notice);
  view.set("initials", label.initials);
  runtime_.js().call<void>("tileLabel", tileId, rect.x, rect.y, rect.width, rect.height, view);
}

void WebVideoSurface::unlabel(const std::string& tileId) {
  if (labelled_.erase(tileId) == 0) return;
  runtime_.js().call<void>("tileUnlabel", tileId);
}

void WebVideoSurface::caption(const std::string& text, float x, float y) {
  if (text == caption_ && x == captionX_ && y == captionY_) return;
  caption_ = text;
  captionX_ = x;
  captionY_ = y;
  runtime_.js().call<void>("tileCaption", text, x, y);
}

}  // namespace vroom::bridge
