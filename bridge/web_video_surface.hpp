// VideoSurface as <video> elements in the room's video layer, positioned by the C++ layout.
#pragma once

#include <string>
#include <unordered_map>

#include "js_runtime.hpp"
#include "video_surface.hpp"

namespace vroom::bridge {

class WebVideoSurface final : public VideoSurface {
 public:
  explicit WebVideoSurface(JsRuntime& runtime) : runtime_(runtime) {}
  void show(const std::string& streamId, const Rect& rect, bool mirrored) override;
  void hide(const std::string& streamId) override;

 private:
  struct Shown {
    Rect rect;
    bool mirrored = false;
  };
  JsRuntime& runtime_;
  std::unordered_map<std::string, Shown> shown_;  // skips DOM writes when nothing moved
};

}  // namespace vroom::bridge
