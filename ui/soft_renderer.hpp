// The overlay's renderer: rasterises ImGui's draw lists on the CPU, straight into the pixels of
// the regions the page shows (ui/draw_regions.hpp). No GPU context: nothing to create at start,
// no shader to compile, no read-back to wait for, and the same pixels in every browser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "texture_store.hpp"

struct ImDrawData;

namespace vroom::ui {

// A rectangle of the framebuffer in device pixels, from the top-left.
struct PixelArea {
  int x = 0, y = 0, width = 0, height = 0;
};

// Pixels handed to the page: grown when needed, never zero-filled by resize (the renderer
// clears what it draws on). A std::vector<unsigned char> would value-initialise each byte on
// every resize, which at -Oz is a call per byte.
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
  const unsigned char* data() const { return bytes_.get(); }
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<unsigned char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

class SoftRenderer : public TextureStore {
 public:
  SoftRenderer();
  ~SoftRenderer() override;
  SoftRenderer(const SoftRenderer&) = delete;
  SoftRenderer& operator=(const SoftRenderer&) = delete;

  // Before ImGui::NewFrame: gives ImGui's font atlas (built by ui::GlyphAtlas in RGBA32) a
  // texture id if it has none. True when it did: pixels drawn before may differ now though no
  // vertex did.
  bool newFrame();
  // The font atlas changed (new glyphs, new pixel ratio): take it again on the next frame.
  void invalidateFontTexture();

  // Draws `data` inside `areas` only, each cleared to transparent first. `out` then holds the
  // areas' pixels in order, each as straight-alpha RGBA rows, top row first (what a 2D
  // canvas's putImageData takes). Blending and coverage follow WebGL's: pixel centres, a
  // shared edge drawn once, colour times bilinear texel, premultiplied "over".
  void render(const ImDrawData& data, const std::vector<PixelArea>& areas, PixelBuffer& out);

  ImTextureID createTexture(int width, int height, const std::uint32_t* pixels) override;
  void destroyTexture(ImTextureID texture) override;

  struct Texture {
    int width = 0;
    int height = 0;
    const std::uint32_t* pixels = nullptr;  // RGBA8, straight alpha, rows top first
    std::vector<std::uint32_t> owned;       // the pixels, unless they are ImGui's atlas
  };

 private:
  Texture font_;  // ImGui's atlas pixels, not copied
  std::vector<std::unique_ptr<Texture>> textures_;
};

}  // namespace vroom::ui
