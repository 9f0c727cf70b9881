// Fakes of ui/'s text seams for headless tests: a GlyphRasterizer that draws boxes with known
// metrics (at 13 px lines: ASCII 7 px wide like ImGui's ProggyClean, wide CJK and emoji one line
// wide, emoji in colour) and records every call, and a TextureStore that hands out ids.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "glyph_rasterizer.hpp"
#include "texture_store.hpp"

namespace vroom::test {

class FakeGlyphRasterizer : public ui::GlyphRasterizer {
 public:
  static constexpr std::uint32_t kEmojiColour = 0xFF30C0F0u;  // opaque, not white

  ui::GlyphBatch glyphs(const std::vector<char32_t>& codePoints, float lineHeight) override;
  ui::RunBitmap run(std::string_view text, float lineHeight, float maxWidth,
                    ui::TextDirection direction, std::uint32_t colour) override;

  static bool wide(char32_t c);
  static float advanceOf(char32_t c, float lineHeight);

  struct RunCall {
    std::string text;
    float lineHeight = 0;
    float maxWidth = 0;
    ui::TextDirection direction = ui::TextDirection::Ltr;
    std::uint32_t colour = 0;
  };
  std::vector<std::vector<char32_t>> batches;  // every glyphs() call's code points
  std::vector<float> batchLineHeights;
  std::vector<RunCall> runs;
  bool failRuns = false;                       // run() returns an empty bitmap
  bool answerNothing = false;                  // glyphs() returns no glyphs
  std::size_t answerAtMost = ~std::size_t(0);  // a browser out of time answers a prefix
};

class FakeTextureStore : public ui::TextureStore {
 public:
  ImTextureID createTexture(int width, int height, const std::uint32_t* pixels) override;
  void destroyTexture(ImTextureID texture) override;

  std::set<ImTextureID> live;
  int created = 0;
  int destroyed = 0;

 private:
  std::intptr_t next_ = 1000;
};

}  // namespace vroom::test
