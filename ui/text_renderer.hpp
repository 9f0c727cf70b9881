// Everything the overlay draws text with: the glyph atlas (ImGui's font, from the browser)
// and the cache of shaped runs, at the page's pixel ratio. The composition root calls
// beginFrame before ImGui::NewFrame and endFrame after Render; in between, user_text.hpp's
// helpers reach it through TextRenderer::current().
#pragma once

#include <string_view>
#include <vector>

#include "glyph_atlas.hpp"
#include "text_runs.hpp"

namespace vroom::ui {

class TextRenderer {
 public:
  // `fontSize`: ImGui's line height in UI units (CSS pixels).
  TextRenderer(GlyphRasterizer& rasterizer, TextureStore& textures, float fontSize = 16.0f,
               GlyphAtlasLimits glyphLimits = {}, TextRunLimits runLimits = {});
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  // Rasterises at fontSize * pixelRatio and has ImGui scale it back (crisp on dense screens),
  // adds the glyphs `texts` need (frame_text.hpp), and makes this the current renderer.
  // Returns true when ImGui's font atlas was rebuilt: upload its texture again.
  bool beginFrame(float pixelRatio, const std::vector<std::string_view>& texts);
  // Ends the frame for the run cache; current() is null again.
  void endFrame();
  // Glyphs are still to come (the batch limit): draw another frame.
  bool pending() const { return glyphs_.pending(); }

  float pixelRatio() const { return pixelRatio_; }
  GlyphAtlas& glyphs() { return glyphs_; }
  const GlyphAtlas& glyphs() const { return glyphs_; }
  TextRunCache& runs() { return runs_; }
  const TextRunCache& runs() const { return runs_; }

  // The renderer between beginFrame and endFrame, or null (then text takes the glyph path).
  static TextRenderer* current();

 private:
  float fontSize_;
  float pixelRatio_ = 0;
  GlyphAtlas glyphs_;
  TextRunCache runs_;
};

}  // namespace vroom::ui
