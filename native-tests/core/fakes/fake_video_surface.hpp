// FakeVideoSurface: remembers which streams are shown where and what each tile's label says,
// for UI and layout tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "video_surface.hpp"

namespace vroom::fakes {

class FakeVideoSurface : public VideoSurface {
 public:
  struct Shown {
    Rect rect;
    VideoLook look;
  };
  struct Labelled {
    Rect rect;
    TileLabel label;
  };

  void show(const std::string& streamId, const Rect& rect, VideoLook look) override {
    shown[streamId] = Shown{rect, look};
    calls.push_back("show(" + streamId + ")");
  }
  void hide(const std::string& streamId) override {
    shown.erase(streamId);
    calls.push_back("hide(" + streamId + ")");
  }
  void label(const std::string& tileId, const Rect& rect, const TileLabel& label) override {
    labels[tileId] = Labelled{rect, label};
    calls.push_back("label(" + tileId + ")");
  }
  void unlabel(const std::string& tileId) override {
    labels.erase(tileId);
    calls.push_back("unlabel(" + tileId + ")");
  }
  void caption(const std::string& text, float x, float y) override {
    captionText = text;
    captionX = x;
    captionY = y;
  }

  std::map<std::string, Shown> shown;
  std::map<std::string, Labelled> labels;
  std::string captionText;
  float captionX = 0, captionY = 0;
  std::vector<std::string> calls;
};

}  // namespace vroom::fakes
