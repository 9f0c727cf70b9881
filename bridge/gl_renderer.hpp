// The WebGL2 context on the overlay canvas and the Dear ImGui renderer drawing into it, and
// the textures of text runs (ui::TextureStore). The canvas is transparent (premultiplied
// alpha) so video tiles below it stay visible.
#pragma once

#include "texture_store.hpp"

namespace vroom::bridge {

class GlRenderer : public ui::TextureStore {
 public:
  // Creates a WebGL2 context on the canvas registered as "!canvas" for this module instance.
  // Returns false (and leaves the renderer unusable) when WebGL2 is not available.
  bool init();
  void shutdown();
  bool ready() const { return context_ != 0; }

  // Before ImGui::NewFrame: uploads the font atlas if it is new (ImGui needs it built).
  void newFrame();
  // Clears to transparent and draws ImGui's current draw data.
  void render(int framebufferWidth, int framebufferHeight);
  // The font atlas changed (new glyphs, new pixel ratio): upload it again on the next frame.
  void invalidateFontTexture();

  ImTextureID createTexture(int width, int height, const std::uint32_t* pixels) override;
  void destroyTexture(ImTextureID texture) override;

 private:
  bool createObjects();
  void uploadFontTexture();

  int context_ = 0;
  unsigned program_ = 0;
  int projection_ = -1;
  unsigned vao_ = 0;
  unsigned vbo_ = 0;
  unsigned ebo_ = 0;
  unsigned fontTexture_ = 0;
};

}  // namespace vroom::bridge
