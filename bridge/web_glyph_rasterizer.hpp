// GlyphRasterizer for the browser: one call into bridge/web_text.js per batch of glyphs or per
// text run (Canvas 2D with the page's font stack, so the overlay writes every script the
// system has fonts for); the pixels cross as one typed array each time.
#pragma once

#include "glyph_rasterizer.hpp"
#include "js_runtime.hpp"

namespace vroom::bridge {

class WebGlyphRasterizer : public ui::GlyphRasterizer {
 public:
  explicit WebGlyphRasterizer(JsRuntime& runtime) : runtime_(runtime) {}

  ui::GlyphBatch glyphs(const std::vector<char32_t>& codePoints, float lineHeight) override;
  ui::RunBitmap run(std::string_view text, float lineHeight, float maxWidth,
                    ui::TextDirection direction, std::uint32_t colour) override;

 private:
  JsRuntime& runtime_;
};

}  // namespace vroom::bridge
