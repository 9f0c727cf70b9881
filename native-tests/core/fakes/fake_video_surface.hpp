// FakeVideoSurface: remembers which streams are shown where, for UI and layout tests.
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
    bool mirrored = false;
  };

  void show(const std::string& streamId, const Rect& rect, bool mirrored) override {
    shown[streamId] = Shown{rect, mirrored};
    calls.push_back("show(" + streamId + ")");
  }
  void hide(const std::string& streamId) override {
    shown.erase(streamId);
    calls.push_back("hide(" + streamId + ")");
  }

  std::map<std::string, Shown> shown;
  std::vector<std::string> calls;
};

}  // namespace vroom::fakes
