// The seam through which ui/ gets the pixels of text: the browser draws glyphs and shaped runs
// with its own fonts (bridge/web_glyph_rasterizer.*, Canvas 2D in bridge/web_text.js), native
// tests use a fake drawing boxes of known metrics (native-tests/ui/fake_text.*). No TTF here.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "text_shaping.hpp"

namespace vroom::ui {

// One glyph in device pixels. The bitmap's top-left corner is (offsetX, offsetY) from the
// pen position on the line's top edge. Pixels are RGBA8 in memory order R, G, B, A (ImGui's
// IM_COL32 on little-endian), straight alpha: text glyphs white with coverage in alpha,
// colour glyphs (emoji) in their colours.
struct GlyphBitmap {
  char32_t codePoint = 0;
  float advance = 0;
  float offsetX = 0;
  float offsetY = 0;
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> pixels;  // width * height
};

// A batch of glyphs of the font whose lines are `lineHeight` device pixels tall: ascent is the
// baseline's distance from a line's top (ascent + descent = lineHeight).
struct GlyphBatch {
  float ascent = 0;
  float descent = 0;
  // The first glyphs.size() code points asked for, in that order: fewer than asked when the
  // browser ran out of its time budget (the rest is asked for again next frame), none when it
  // could not draw at all.
  std::vector<GlyphBitmap> glyphs;
};

// A shaped text run: lines of the requested height, as wide as its widest line. Empty
// (width 0) when the browser could not draw it.
struct RunBitmap {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> pixels;  // width * height, like GlyphBitmap::pixels
};

class GlyphRasterizer {
 public:
  virtual ~GlyphRasterizer() = default;

  // Rasterises `codePoints` in one go, or as many of them as the browser's budget allows.
  virtual GlyphBatch glyphs(const std::vector<char32_t>& codePoints, float lineHeight) = 0;

  // `text` shaped and ordered by the browser (bidi, joining, marks, emoji sequences) in a
  // paragraph of `direction`, drawn in `colour` (IM_COL32), broken into lines of `lineHeight`
  // at line breaks and, when `maxWidth` > 0, at word boundaries to fit it.
  virtual RunBitmap run(std::string_view text, float lineHeight, float maxWidth,
                        TextDirection direction, std::uint32_t colour) = 0;
};

}  // namespace vroom::ui
