// The WebGL2 context of the overlay and the Dear ImGui renderer drawing into it, and the
// textures of text runs (ui::TextureStore). The canvas is not on the page: only the areas the
// page will read back are drawn and read.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "texture_store.hpp"

namespace vroom::bridge {

// Bytes read back from the GPU: grown when needed, never zero-filled (the read writes every
// byte). A std::vector<unsigned char> would value-initialise each byte on every resize, which
// at -Oz is two calls per byte: tens of ms for the first frame's overlay.
class PixelBuffer {
 public:
  unsigned char* resize(std::size_t size) {
    if (size > capacity_) {
      bytes_.reset(new unsigned char[size]);  // default-initialised: not cleared
      capacity_ = size;
    }
    size_ = size;
    return bytes_.get();
  }
  void clear() { size_ = 0; }
  unsigned char* data() { return bytes_.get(); }
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<unsigned char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

class GlRenderer : public ui::TextureStore {
 public:
  // Creates a WebGL2 context on the canvas registered as "!canvas" for this module instance.
  // Returns false (and leaves the renderer unusable) when WebGL2 is not available.
  bool init();
  void shutdown();
  bool ready() const { return context_ != 0; }

  // Before ImGui::NewFrame: uploads the font atlas if it is new (ImGui needs it built).
  // True when it did: pixels drawn before may differ now though no vertex did.
  bool newFrame();
  // A rect of the framebuffer in device pixels, from the top-left.
  struct Area {
    int x = 0, y = 0, width = 0, height = 0;
  };
  // Clears `areas` to transparent and draws ImGui's current draw data inside them only;
  // nothing when there are none (the rest of the framebuffer is never read).
  void render(int framebufferWidth, int framebufferHeight, const std::vector<Area>& areas);
  // The font atlas changed (new glyphs, new pixel ratio): upload it again on the next frame.
  void invalidateFontTexture();
  // Reads `areas` back without waiting for the GPU (into a pixel buffer, then a fence): the
  // main thread never blocks on a read, and only the areas cross, not the whole canvas.
  // False while the previous read has not been collected.
  bool startRead(const std::vector<Area>& areas, int framebufferHeight);
  // Once the GPU is done: the areas' pixels in order, each as straight-alpha RGBA rows, top
  // row first (what a 2D canvas's putImageData takes). False while it is still running,
  // unless told to wait for it (the main thread then blocks until the GPU is done).
  enum class Wait { No, Yes };
  bool finishRead(PixelBuffer& out, Wait wait = Wait::No);
  bool reading() const { return readSync_ != nullptr; }

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
  unsigned pixelBuffer_ = 0;
  std::size_t pixelBufferBytes_ = 0;
  void* readSync_ = nullptr;  // GLsync of the read in flight
  std::vector<Area> readAreas_;
  PixelBuffer swapRow_;  // one row, while flipping
};

}  // namespace vroom::bridge
