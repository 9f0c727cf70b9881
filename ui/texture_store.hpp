// The seam through which ui/ hands bitmaps to the renderer for ImGui to draw (text runs): the
// CPU renderer in the browser (soft_renderer.*), a recording fake in native tests.
#pragma once

#include <cstdint>

#include <imgui.h>

namespace vroom::ui {

class TextureStore {
 public:
  virtual ~TextureStore() = default;
  // A texture of `width` x `height` RGBA8 pixels (straight alpha) ImGui can draw with Image.
  virtual ImTextureID createTexture(int width, int height, const std::uint32_t* pixels) = 0;
  virtual void destroyTexture(ImTextureID texture) = 0;
};

}  // namespace vroom::ui
