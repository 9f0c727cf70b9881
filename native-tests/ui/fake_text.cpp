// The fakes' boxes: a glyph is an ink box as wide as its advance less one pixel and as tall as
// the ascent, starting one pixel below the line's top; a space has no ink. A run is its code
// points' advances laid end to end, broken into lines of maxWidth.
#include "fake_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "utf8.hpp"

namespace vroom::test {

bool FakeGlyphRasterizer::wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0x1F300 && c <= 0x1FAFF) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

float FakeGlyphRasterizer::advanceOf(char32_t c, float lineHeight) {
  return wide(c) ? lineHeight : std::round(lineHeight * 7.0f / 13.0f);
}

ui::GlyphBatch FakeGlyphRasterizer::glyphs(const std::vector<char32_t>& codePoints,
                                           float lineHeight) {
  batches.push_back(codePoints);
  batchLineHeights.push_back(lineHeight);
  ui::GlyphBatch batch;
  batch.ascent = std::round(lineHeight * 0.8f);
  batch.descent = lineHeight - batch.ascent;
  if (answerNothing) return batch;
  for (const char32_t c : codePoints) {
    if (batch.glyphs.size() == answerAtMost) break;
    ui::GlyphBitmap g;
    g.codePoint = c;
    g.advance = advanceOf(c, lineHeight);
    g.offsetY = 1;
    if (c != U' ') {
      g.width = std::max(1, int(g.advance) - 1);
      g.height = int(batch.ascent);
      const bool emoji = c >= 0x1F300 && c <= 0x1FAFF;
      g.pixels.assign(std::size_t(g.width) * g.height, emoji ? kEmojiColour : 0xFFFFFFFFu);
    }
    batch.glyphs.push_back(std::move(g));
  }
  return batch;
}

ui::RunBitmap FakeGlyphRasterizer::run(std::string_view text, float lineHeight, float maxWidth,
                                       ui::TextDirection direction, std::uint32_t colour) {
  runs.push_back({std::string(text), lineHeight, maxWidth, direction, colour});
  ui::RunBitmap bitmap;
  if (failRuns) return bitmap;
  float width = 0;
  ui::forEachCodePoint(text, [&](char32_t c) { width += advanceOf(c, lineHeight); });
  const int lines = maxWidth > 0 ? std::max(1, int(std::ceil(width / maxWidth))) : 1;
  bitmap.width = std::max(1, int(std::ceil(maxWidth > 0 ? std::min(width, maxWidth) : width)));
  bitmap.height = lines * int(lineHeight);
  bitmap.pixels.assign(std::size_t(bitmap.width) * bitmap.height, colour);
  return bitmap;
}

ImTextureID FakeTextureStore::createTexture(int, int, const std::uint32_t*) {
  const ImTextureID id = reinterpret_cast<ImTextureID>(next_++);
  live.insert(id);
  ++created;
  return id;
}

void FakeTextureStore::destroyTexture(ImTextureID texture) {
  live.erase(texture);
  ++destroyed;
}

}  // namespace vroom::test
