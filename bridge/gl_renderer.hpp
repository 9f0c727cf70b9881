// The WebGL2 context on the overlay canvas and Dear ImGui's OpenGL ES 3 renderer on it.
// The canvas is transparent (premultiplied alpha) so video tiles below it stay visible.
#pragma once

namespace vroom::bridge {

class GlRenderer {
 public:
  // Creates a WebGL2 context on the canvas registered as "!canvas" for this module instance.
  // Returns false (and leaves the renderer unusable) when WebGL2 is not available.
  bool init();
  void shutdown();
  bool ready() const { return context_ != 0; }

  // Clears to transparent and draws ImGui's current draw data.
  void render(int framebufferWidth, int framebufferHeight);

 private:
  int context_ = 0;
};

}  // namespace vroom::bridge
