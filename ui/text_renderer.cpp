// TextRenderer: the per-frame order of the text pieces and the current-renderer pointer (one
// per wasm instance: each room on a page is its own module; native tests run one at a time).
#include "text_renderer.hpp"

namespace vroom::ui {
namespace {

TextRenderer* gCurrent = nullptr;

}  // namespace

TextRenderer::TextRenderer(GlyphRasterizer& rasterizer, TextureStore& textures, float fontSize,
                           GlyphAtlasLimits glyphLimits, TextRunLimits runLimits)
    : fontSize_(fontSize),
      glyphs_(rasterizer, glyphLimits),
      runs_(rasterizer, textures, runLimits) {}

TextRenderer::~TextRenderer() {
  if (gCurrent == this) gCurrent = nullptr;
}

TextRenderer* TextRenderer::current() {
  return gCurrent;
}

bool TextRenderer::beginFrame(float pixelRatio, const std::vector<std::string_view>& texts) {
  if (pixelRatio <= 0) pixelRatio = 1.0f;
  if (pixelRatio != pixelRatio_) {
    pixelRatio_ = pixelRatio;
    glyphs_.setLineHeight(fontSize_ * pixelRatio);
    runs_.setScale(fontSize_ * pixelRatio, pixelRatio);
  }
  ImGui::GetIO().FontGlobalScale = 1.0f / pixelRatio;
  gCurrent = this;
  return glyphs_.prepare(*ImGui::GetIO().Fonts, texts);
}

void TextRenderer::endFrame() {
  runs_.endFrame();
  if (gCurrent == this) gCurrent = nullptr;
}

}  // namespace vroom::ui
