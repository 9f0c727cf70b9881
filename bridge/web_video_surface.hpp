// VideoSurface as elements of the room's video layer: <video>s positioned by the C++ layout,
// and each tile's label (name pill, badges, rings) as DOM drawn by bridge/web_runtime.js.
#pragma once

#include <string>
#include <unordered_map>

#include "js_runtime.hpp"
#include "video_surface.hpp"

namespace vroom::bridge {

class WebVideoSurface final : public VideoSurface {
 public:
  explicit WebVideoSurface(JsRuntime& runtime) : runtime_(runtime) {}
  void show(const std::string& streamId, const Rect& rect, VideoLook look) override;
  void hide(const std::string& streamId) override;
  void label(const std::string& tileId, const Rect& rect, const TileLabel& label) override;
  void unlabel(const std::string& tileId) override;
  void caption(const std::string& text, float x, float y) override;

 private:
  struct Shown {
    Rect rect;
    VideoLook look;
  };
  struct Labelled {
    Rect rect;
    TileLabel label;
  };
  JsRuntime& runtime_;
  // Skip DOM writes when nothing moved or changed: layout runs on every frame and change.
  std::unordered_map<std::string, Shown> shown_;
  std::unordered_map<std::string, Labelled> labelled_;
  std::string caption_;
  float captionX_ = 0, captionY_ = 0;
};

}  // namespace vroom::bridge
